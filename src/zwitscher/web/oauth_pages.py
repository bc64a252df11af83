"""`/oauth/authorize`: the page where a person signs in and allows an app access.

The sign-in and the consent are one form: the person sees the app and the scopes it asks
for, types their credentials and chooses Allow or Deny. Allow issues a one-time code and sends
the browser back to the app (or shows the code for out-of-band apps); Deny answers the app
with `access_denied`, as RFC 6749 describes.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import RedirectResponse, Response

from zwitscher.api.deps import uows
from zwitscher.api.params import read_params
from zwitscher.domain.errors import Forbidden
from zwitscher.i18n import explain
from zwitscher.services import oauth
from zwitscher.services.oauth import OAuthError

router = APIRouter()
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

TEXTS = {
    "en": {"title": "Authorize an app", "intro": "{app} would like to access your account.",
           "scopes": "Requested permissions", "login": "E-mail address or username",
           "password": "Password", "approve": "Authorize", "deny": "Deny",
           "wrong": "Your e-mail address, username or password is wrong.",
           "code_title": "Authorization code",
           "code_intro": "Copy this code and paste it into the app.",
           "error_title": "This request cannot be authorized"},
    "de": {"title": "App autorisieren", "intro": "{app} möchte auf dein Konto zugreifen.",
           "scopes": "Angefragte Berechtigungen", "login": "E-Mail-Adresse oder Benutzername",
           "password": "Passwort", "approve": "Autorisieren", "deny": "Ablehnen",
           "wrong": "E-Mail-Adresse, Benutzername oder Passwort ist falsch.",
           "code_title": "Autorisierungscode",
           "code_intro": "Kopiere diesen Code und füge ihn in der App ein.",
           "error_title": "Diese Anfrage kann nicht autorisiert werden"},
}
FLOW_FIELDS = ("client_id", "redirect_uri", "response_type", "scope", "state",
               "code_challenge", "code_challenge_method", "lang")


def _language(request: Request, params: dict) -> str:
    wanted = str(params.get("lang") or request.headers.get("accept-language", "en"))
    return "de" if wanted.lower().startswith("de") else "en"


def _page(request: Request, name: str, lang: str, status_code: int = 200, **context) -> Response:
    return templates.TemplateResponse(request, name, {"t": TEXTS[lang], "lang": lang, **context},
                                      status_code=status_code)


async def _flow(request: Request, params: dict):
    """Check the app, redirect URI, response type and scopes of an authorization request."""
    async with uows(request).read() as uow:
        app = await oauth.find_app(uow, client_id=str(params.get("client_id") or ""))
    redirect_uri = str(params.get("redirect_uri") or "")
    oauth.check_redirect_uri(app, redirect_uri)
    if params.get("response_type", "code") != "code":
        raise OAuthError("unsupported_response_type", "Only the code response type is supported.")
    scopes = oauth.requested_scopes(app, str(params.get("scope") or "") or None)
    return app, redirect_uri, scopes


def _back_to_app(redirect_uri: str, state: str | None, **values) -> RedirectResponse:
    query = {**values, **({"state": state} if state else {})}
    separator = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(f"{redirect_uri}{separator}{urlencode(query)}", status_code=302)


@router.get("/oauth/authorize")
async def authorize_page(request: Request) -> Response:
    params = dict(request.query_params)
    lang = _language(request, params)
    try:
        app, _, scopes = await _flow(request, params)
    except OAuthError as exc:
        return _page(request, "error.html", lang, 400, message=exc.description)
    hidden = {k: params[k] for k in FLOW_FIELDS if params.get(k)}
    return _page(request, "authorize.html", lang, app_name=app.name, scopes=scopes,
                 hidden=hidden, login="", error=None)


@router.post("/oauth/authorize")
async def authorize_submit(request: Request) -> Response:
    params = await read_params(request)
    lang = _language(request, params)
    try:
        app, redirect_uri, scopes = await _flow(request, params)
    except OAuthError as exc:
        return _page(request, "error.html", lang, 400, message=exc.description)
    state = params.get("state")
    if params.get("decision") == "deny":
        return _back_to_app(redirect_uri, state, error="access_denied",
                            error_description="The resource owner denied the request.")
    hidden = {k: params[k] for k in FLOW_FIELDS if params.get(k)}
    login = str(params.get("login") or "")
    async with uows(request).write() as uow:
        user = await oauth.authenticate_user(uow, login=login,
                                             password=str(params.get("password") or ""))
        if user is None:
            return _page(request, "authorize.html", lang, 401, app_name=app.name, scopes=scopes,
                         hidden=hidden, login=login, error=TEXTS[lang]["wrong"])
        try:
            oauth.check_user_may_sign_in(user)
        except Forbidden as exc:
            return _page(request, "authorize.html", lang, 403, app_name=app.name,
                         scopes=scopes, hidden=hidden, login=login, error=explain(exc, lang))
        code = await oauth.issue_code(
            uow, app=app, user_id=user.id, redirect_uri=redirect_uri, scopes=scopes,
            code_challenge=params.get("code_challenge"),
            code_challenge_method=params.get("code_challenge_method"))
    if redirect_uri == oauth.OOB_REDIRECT:
        return _page(request, "code.html", lang, code=code)
    return _back_to_app(redirect_uri, state, code=code)



