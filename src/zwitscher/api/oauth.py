"""OAuth endpoints and app registration (`/api/v1/apps`, `/oauth/token`, `/oauth/revoke`)."""

from __future__ import annotations

import base64
import binascii
from typing import NotRequired

from fastapi import APIRouter, Request
from typing_extensions import TypedDict

from zwitscher.api.deps import OptionalViewer, Origin, uows
from zwitscher.api.operations import Empty, declare
from zwitscher.api.params import Params, parse, with_examples
from zwitscher.api.responses import JSON
from zwitscher.domain import scopes as scope_rules
from zwitscher.domain.errors import PasswordsTurnedOff, Unauthorized
from zwitscher.services import oauth
from zwitscher.services.authenticate_user import authenticate_user
from zwitscher.services.ensure_vapid_key import VAPID_KEY
from zwitscher.services.oauth import OAuthError

router = APIRouter()


class Token(TypedDict):
    access_token: str
    token_type: str
    scope: str
    created_at: int


class Application(TypedDict):
    id: str
    name: str
    website: str | None
    scopes: list[str]
    redirect_uri: str
    redirect_uris: list[str]
    vapid_key: str
    client_id: NotRequired[str]  # when the app is registered
    client_secret: NotRequired[str]
    client_secret_expires_at: NotRequired[int]


class ServerMetadata(TypedDict):
    """RFC 8414."""

    issuer: str
    service_documentation: str
    authorization_endpoint: str
    token_endpoint: str
    revocation_endpoint: str
    app_registration_endpoint: str
    scopes_supported: list[str]
    response_types_supported: list[str]
    response_modes_supported: list[str]
    code_challenge_methods_supported: list[str]
    grant_types_supported: list[str]
    token_endpoint_auth_methods_supported: list[str]


class AppCreate(Params):
    model_config = with_examples({"client_name": "My app", "scopes": "read write",
                                  "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"})

    client_name: str = ""
    redirect_uris: str | list[str] = oauth.OOB_REDIRECT
    scopes: str = "read"
    website: str | None = None


def _app_entity(app, *, vapid_key: str, client_id: str | None = None,
                client_secret: str | None = None) -> dict:
    entity = {
        "id": str(app.id),
        "name": app.name,
        "website": app.website,
        "scopes": app.scopes.split(),
        "redirect_uri": "\n".join(app.redirect_uris),
        "redirect_uris": list(app.redirect_uris),
        "vapid_key": vapid_key,
    }
    if client_id is not None:
        entity |= {"client_id": client_id, "client_secret": client_secret,
                   "client_secret_expires_at": 0}
    return entity


@router.post("/api/v1/apps")
@declare(returns=Application, takes=AppCreate)
async def create_app(request: Request) -> JSON:
    form = await parse(request, AppCreate)
    uris = form.redirect_uris
    redirect_uris = uris.split() if isinstance(uris, str) else [u for u in uris if u]
    async with uows(request).write() as uow:
        issued = await oauth.create_app(uow, name=form.client_name,
                                        redirect_uris=redirect_uris, scopes=form.scopes,
                                        website=form.website)
        app = await uow.oauth.app(issued.id)
        vapid_key = await uow.server_keys.public_key(VAPID_KEY)
    return JSON(_app_entity(app, vapid_key=vapid_key, client_id=issued.client_id,
                            client_secret=issued.client_secret))


@router.get("/api/v1/apps/verify_credentials")
@declare(returns=Application)
async def verify_app(request: Request, viewer: OptionalViewer) -> JSON:
    # Since Mastodon 4.3 any valid token of the app will do, whatever its scopes.
    if viewer is None:
        raise Unauthorized("The access token is invalid")
    async with uows(request).read() as uow:
        app = await uow.oauth.app(viewer.app_id)
        vapid_key = await uow.server_keys.public_key(VAPID_KEY)
    return JSON(_app_entity(app, vapid_key=vapid_key))


class TokenRequest(Params):
    grant_type: str = ""
    client_id: str = ""
    client_secret: str | None = None
    code: str = ""
    redirect_uri: str = ""
    code_verifier: str | None = None
    username: str = ""
    password: str = ""
    scope: str | None = None


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    if header[:6].lower() != "basic ":
        return None
    try:
        client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return client_id, secret


@router.post("/oauth/token")
@declare(returns=Token, takes=TokenRequest, errors=(401,))
async def token(request: Request) -> JSON:
    form = await parse(request, TokenRequest)
    if basic := _basic_credentials(request):
        form.client_id, form.client_secret = basic
    confidential = form.grant_type != "authorization_code" or form.client_secret is not None
    async with uows(request).read() as uow:
        app = await oauth.find_app(uow, client_id=form.client_id,
                                   client_secret=form.client_secret if confidential else None)
    if form.grant_type in ("password", "client_credentials") and form.client_secret is None:
        raise OAuthError("invalid_client", "Client authentication failed.", 401)
    user = None
    if form.grant_type == "password":
        user = await _password_user(request, form.username, form.password)
    async with uows(request).write() as uow:
        if form.grant_type == "authorization_code":
            issued = await oauth.exchange_code(uow, app=app, code=form.code,
                                               redirect_uri=form.redirect_uri,
                                               code_verifier=form.code_verifier)
        elif form.grant_type == "password":
            issued = await oauth.exchange_password(
                uow, app=app, user=user, scopes=oauth.requested_scopes(app, form.scope))
        elif form.grant_type == "client_credentials":
            issued = await oauth.exchange_client_credentials(
                uow, app=app, scopes=oauth.requested_scopes(app, form.scope))
        else:
            raise OAuthError("unsupported_grant_type", "The authorization grant type is not "
                             "supported by the authorization server.")
    return JSON({"access_token": issued.access_token, "token_type": "Bearer",
                 "scope": issued.scopes, "created_at": issued.created_at})


async def _password_user(request: Request, login: str, password: str):
    """The person the password grant names, if the password is right (OAuth's error else)."""
    try:
        authenticated = await authenticate_user(
            uows(request), login=login, password=password,
            network_address=request.client.host if request.client else "unknown")
    except PasswordsTurnedOff as exc:
        raise OAuthError("invalid_grant", exc.message) from exc
    return authenticated.user if authenticated else None


class RevokeRequest(Params):
    client_id: str = ""
    client_secret: str = ""
    token: str = ""


@router.post("/oauth/revoke")
@declare(returns=Empty, takes=RevokeRequest, errors=(403,))
async def revoke(request: Request) -> JSON:
    form = await parse(request, RevokeRequest)
    if basic := _basic_credentials(request):
        form.client_id, form.client_secret = basic
    async with uows(request).write() as uow:
        try:
            app = await oauth.find_app(uow, client_id=form.client_id,
                                       client_secret=form.client_secret)
        except OAuthError as exc:
            # RFC 7009 and Mastodon: a client that cannot authenticate may not revoke (403).
            raise oauth.revocation_refused() from exc
        await oauth.revoke_token(uow, app=app, token=form.token)
    return JSON({})


@router.get("/.well-known/oauth-authorization-server")
@declare(returns=ServerMetadata)
async def authorization_server_metadata(origin: Origin) -> JSON:
    return JSON({
        "issuer": f"{origin}/",
        "service_documentation": "https://docs.joinmastodon.org/",
        "authorization_endpoint": f"{origin}/oauth/authorize",
        "token_endpoint": f"{origin}/oauth/token",
        "revocation_endpoint": f"{origin}/oauth/revoke",
        "app_registration_endpoint": f"{origin}/api/v1/apps",
        "scopes_supported": sorted(scope_rules.VALID),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code", "password", "client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    })
