"""OAuth 2 as Mastodon clients use it: apps, authorization codes (with PKCE), tokens.

Grants: `authorization_code` (the login and consent page issues the code), `password` (what
`toot login_cli` and older libraries use), and `client_credentials` (an app acting for itself,
e.g. to register an account).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain import scopes as scope_rules
from zwitscher.domain.channels import Event, home_channel
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import (
    DomainError,
    Forbidden,
    Unauthorized,
    ValidationFailed,
)
from zwitscher.domain.roles import SPEAKERS, Actor, parse_role
from zwitscher.policies.brands import brand_grant
from zwitscher.policies.second_factor import needs_second_factor
from zwitscher.services.record_audit import record_audit
from zwitscher.services.secrets import digest, new_secret

OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob"


class Unconfirmed(Forbidden):
    """Mastodon's words for a person who signed up and has not followed the e-mailed link."""

    def __init__(self) -> None:
        super().__init__("Your login is missing a confirmed e-mail address")
CODE_LIFETIME = timedelta(minutes=10)


class OAuthError(DomainError):
    """An RFC 6749 error: `error` is the code, `description` the human text."""

    def __init__(self, error: str, description: str, status_code: int = 400) -> None:
        super().__init__(error, description=description)
        self.status_code = status_code


@dataclass(frozen=True, slots=True)
class IssuedApp:
    id: int
    client_id: str
    client_secret: str


@dataclass(frozen=True, slots=True)
class IssuedToken:
    access_token: str
    scopes: str
    created_at: int


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is calling: the token's app, its scopes, and the account when a person signed in."""

    token_id: int
    app_id: int
    scopes: frozenset[str]
    account_id: int | None
    user_id: int | None
    role: str | None
    # A company directory's token (`zwitscher scim token`): the only kind SCIM accepts.
    directory: bool = False
    # With a delegated token `account_id` is the brand account and this the person acting
    # as it (posts record them); otherwise the same as `account_id`.
    person_id: int | None = None

    @property
    def acts_for_brand(self) -> bool:
        return self.person_id is not None and self.person_id != self.account_id

    def may(self, scope: str) -> bool:
        return scope_rules.allows(set(self.scopes), scope)


async def create_app(uow: UnitOfWork, *, name: str, redirect_uris: list[str], scopes: str | None,
                     website: str | None) -> IssuedApp:
    parsed = scope_rules.parse_scopes(scopes)
    if parsed is None:
        raise ValidationFailed("Scopes are invalid")
    if not name.strip():
        raise ValidationFailed("Name can't be blank")
    if not redirect_uris or any(not _valid_redirect(uri) for uri in redirect_uris):
        raise ValidationFailed("Redirect URI must be an absolute URI")
    client_id, client_secret = new_secret(), new_secret()
    app_id = await uow.oauth.create_app(
        name=name.strip()[:200], website=website, redirect_uris=redirect_uris,
        scopes=" ".join(parsed), client_id=client_id, client_secret_hash=digest(client_secret))
    return IssuedApp(app_id, client_id, client_secret)


def _valid_redirect(uri: str) -> bool:
    return uri == OOB_REDIRECT or (":" in uri and not uri.startswith(("javascript:", "data:")))


async def find_app(uow: UnitOfWork, *, client_id: str, client_secret: str | None = None):
    app = await uow.oauth.app_by_client_id(client_id) if client_id else None
    if app is None:
        raise OAuthError("invalid_client", "Client authentication failed due to unknown "
                         "client, no client authentication included, or unsupported "
                         "authentication method.", 401)
    if client_secret is not None and not hmac.compare_digest(app.client_secret_hash,
                                                             digest(client_secret)):
        raise OAuthError("invalid_client", "Client authentication failed.", 401)
    return app


def requested_scopes(app, raw: str | None) -> list[str]:
    """Requested scopes must be a subset of what the app registered for."""
    wanted = scope_rules.parse_scopes(raw, default=app.scopes)
    if wanted is None or not set(wanted) <= scope_rules.expand(app.scopes.split()) | set(
            app.scopes.split()):
        raise OAuthError("invalid_scope", "The requested scope is invalid, unknown, or "
                         "malformed.")
    return wanted


def check_redirect_uri(app, redirect_uri: str) -> None:
    if redirect_uri not in app.redirect_uris:
        raise OAuthError("invalid_grant", "The redirect uri included is not valid.")


async def issue_code(uow: UnitOfWork, *, app, user_id: int, redirect_uri: str, scopes: list[str],
                     code_challenge: str | None, code_challenge_method: str | None) -> str:
    if code_challenge and (code_challenge_method or "plain") not in ("S256", "plain"):
        raise OAuthError("invalid_request", "Unsupported code challenge method.")
    code = new_secret()
    await uow.oauth.create_code(
        code_hash=digest(code), app_id=app.id, user_id=user_id, redirect_uri=redirect_uri,
        scopes=" ".join(scopes), code_challenge=code_challenge,
        code_challenge_method=(code_challenge_method or "plain") if code_challenge else None,
        expires_at=utcnow() + CODE_LIFETIME)
    return code


def _pkce_matches(challenge: str, method: str, verifier: str) -> bool:
    if method == "S256":
        hashed = hashlib.sha256(verifier.encode()).digest()
        computed = base64.urlsafe_b64encode(hashed).rstrip(b"=").decode()
        return hmac.compare_digest(computed, challenge)
    return hmac.compare_digest(verifier, challenge)


async def _issue_token(uow: UnitOfWork, *, app_id: int, user_id: int | None,
                       scopes: list[str]) -> IssuedToken:
    token = new_secret()
    await uow.oauth.create_token(token_hash=digest(token), app_id=app_id, user_id=user_id,
                                 scopes=" ".join(scopes))
    return IssuedToken(token, " ".join(scopes), int(utcnow().timestamp()))


async def exchange_code(uow: UnitOfWork, *, app, code: str, redirect_uri: str,
                        code_verifier: str | None) -> IssuedToken:
    row = await uow.oauth.take_code(digest(code)) if code else None
    invalid = OAuthError("invalid_grant", "The provided authorization grant is invalid, "
                         "expired, revoked, does not match the redirection URI used in the "
                         "authorization request, or was issued to another client.")
    if row is None or row.app_id != app.id or row.expires_at < utcnow():
        raise invalid
    if row.redirect_uri != redirect_uri:
        raise invalid
    if row.code_challenge and not (
            code_verifier and _pkce_matches(row.code_challenge, row.code_challenge_method,
                                            code_verifier)):
        raise invalid
    return await _issue_token(uow, app_id=app.id, user_id=row.user_id,
                              scopes=row.scopes.split())


def check_user_may_sign_in(user) -> None:
    if user.disabled:
        raise Forbidden("Your login is currently disabled")
    if not user.confirmed:
        raise Unconfirmed()
    if not user.approved:
        raise Forbidden("Your login is currently pending approval")


async def exchange_password(uow: UnitOfWork, *, app, user, scopes: list[str]) -> IssuedToken:
    """A token for the person whose password was right (`authenticate_user`); `user` None: it
    was not."""
    if user is None:
        raise OAuthError("invalid_grant", "The provided authorization grant is invalid, "
                         "expired, revoked, does not match the redirection URI used in the "
                         "authorization request, or was issued to another client.")
    try:
        check_user_may_sign_in(user)
    except Forbidden as exc:
        raise OAuthError("invalid_grant", exc.message) from exc
    if user.totp_secret or needs_second_factor(uow.settings, user):
        # As Mastodon: a password alone is not enough for this account, and the grant has no
        # way to ask for more. Apps sign it in through the browser (/oauth/authorize).
        raise OAuthError("invalid_grant", "This account needs a second factor: sign in through "
                         "the app's browser sign-in")
    return await _issue_token(uow, app_id=app.id, user_id=user.id, scopes=scopes)


async def exchange_client_credentials(uow: UnitOfWork, *, app, scopes: list[str]) -> IssuedToken:
    return await _issue_token(uow, app_id=app.id, user_id=None, scopes=scopes)


async def issue_token_for_user(uow: UnitOfWork, *, app_id: int, user_id: int,
                               scopes: list[str]) -> IssuedToken:
    return await _issue_token(uow, app_id=app_id, user_id=user_id, scopes=scopes)


async def issue_brand_token(uow: UnitOfWork, *, viewer: Viewer, brand_id: int) -> IssuedToken:
    """A token with which a person's Mastodon app posts as a brand account (the posts still
    record the person). Not for authors whose posts need approval: apps cannot leave drafts."""
    grant = await brand_grant(uow, person_id=viewer.person_id, role=viewer.role,
                              brand_id=brand_id)
    if grant.needs_approval:
        raise Forbidden("Your posts for this account need approval: post them as drafts")
    scopes = sorted(viewer.scopes & {"read", "write", "follow", "push"}) or ["read"]
    token = new_secret()
    await uow.oauth.create_token(token_hash=digest(token), app_id=viewer.app_id,
                                 user_id=viewer.user_id, scopes=" ".join(scopes),
                                 acting_as_id=brand_id)
    return IssuedToken(token, " ".join(scopes), int(utcnow().timestamp()))


async def issue_directory_token(uow: UnitOfWork, *, actor: Actor, name: str) -> str:
    """A token for a company directory to provision people over SCIM: an app of its own with
    `admin:write`, acting for no person, marked as a directory token."""
    app = await create_app(uow, name=f"Directory (SCIM): {name}", redirect_uris=[OOB_REDIRECT],
                           scopes="admin:write", website=None)
    token = new_secret()
    await uow.oauth.create_token(token_hash=digest(token), app_id=app.id, user_id=None,
                                 scopes="admin:write", directory=True)
    await record_audit(uow, actor=actor, action="directory.token_issued", target_type="app",
                       target_id=app.id, name=name)
    return token


def revocation_refused() -> OAuthError:
    return OAuthError("unauthorized_client", "You are not authorized to revoke this token", 403)


async def revoke_token(uow: UnitOfWork, *, app, token: str) -> None:
    """Unknown tokens are fine (RFC 7009: revoking is idempotent); another app's are not."""
    row = await uow.oauth.token_with_user(digest(token)) if token else None
    if row is not None and row.app_id != app.id:
        raise revocation_refused()
    await uow.oauth.revoke_token(token_hash=digest(token), app_id=app.id)
    if row is not None:
        await uow.push_subscriptions.delete_for_tokens([row.id])
    if row is not None and row.account_id is not None:
        # Streams opened with this token must end now, not at their next reconnect.
        uow.publish(home_channel(row.account_id), Event.SESSION_REVOKED, None, token_id=row.id)


async def authenticate(uow: UnitOfWork, token: str) -> Viewer:
    return viewer_of_token(await uow.oauth.token_with_user(digest(token)))


async def authenticate_unconfirmed(uow: UnitOfWork, token: str) -> Viewer:
    """As `authenticate`, also for a person whose address awaits its link."""
    return viewer_of_token(await uow.oauth.token_with_user(digest(token)), unconfirmed_ok=True)


@dataclass(frozen=True, slots=True)
class Authenticated:
    viewer: Viewer
    # When the token stops working by itself (None: never).
    expires_at: datetime | None


async def authenticate_digest(uow: UnitOfWork, token_digest: str) -> Authenticated:
    row = await uow.oauth.token_with_user(token_digest)
    return Authenticated(viewer_of_token(row), row.expires_at)


def viewer_of_token(row, *, unconfirmed_ok: bool = False) -> Viewer:
    """The viewer a live token row (`token_with_user`) stands for; refuses dead ones, and
    those of a person whose address is not confirmed yet (unless `unconfirmed_ok`: the one
    thing such a token may do is ask for the link again)."""
    if row is None or (row.expires_at is not None and row.expires_at < utcnow()):
        raise Unauthorized("The access token is invalid")
    if row.user_id is not None:
        if row.disabled:
            raise Unauthorized("Your login is currently disabled")
        if not row.confirmed and not unconfirmed_ok:
            raise Unconfirmed()
        if not row.approved:
            raise Forbidden("Your login is currently pending approval")
    account_id = row.account_id
    if row.acting_as_id is not None:
        if not row.granted or parse_role(row.role) not in SPEAKERS:
            raise Unauthorized("This token's permission to post for the account has ended")
        account_id = row.acting_as_id
    return Viewer(token_id=row.id, app_id=row.app_id,
                  scopes=frozenset(scope_rules.expand(row.scopes.split())),
                  account_id=account_id, user_id=row.user_id, role=row.role,
                  directory=row.directory, person_id=row.account_id)
