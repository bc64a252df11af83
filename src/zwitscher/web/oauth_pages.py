"""`/oauth/authorize`: the page where a person signs in and allows an app access.

The sign-in and the consent are one form: the person sees the app and the scopes it asks
for, types their credentials and chooses Allow or Deny. Allow issues a one-time code and sends
the browser back to the app (or shows the code for out-of-band apps); Deny answers the app
with `access_denied`, as RFC 6749 describes. A browser signed in to the web interface only
chooses (its form carries the session's CSRF token instead of a password); where passwords
are turned off, a browser that is not signed in goes through single sign-on first and comes
back here.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import RedirectResponse, Response

from zwitscher.api.deps import uows
from zwitscher.api.params import read_params
from zwitscher.domain.errors import DomainError
from zwitscher.i18n import explain
from zwitscher.services import oauth
from zwitscher.services.authenticate_user import authenticate_user
from zwitscher.services.oauth import OAuthError
from zwitscher.services.web_sessions import CODE_PATH, ask_for_second_factor
from zwitscher.web.browser import Browser, CurrentBrowser, visit_of

router = APIRouter()
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

TEXTS = {
    "en": {"title": "Authorize an app", "intro": "{app} would like to access your account.",
           "scopes": "Requested permissions", "login": "E-mail address or username",
           "password": "Password", "approve": "Authorize", "deny": "Deny",
           "wrong": "Your e-mail address, username or password is wrong.",
           "code_title": "Authorization code",
           "code_intro": "Copy this code and paste it into the app.",
           "error_title": "This request cannot be authorized",
           "signed_in_as": "You are signed in as {name}.", "sso": "Sign in with {name}",
           "expired": "This form has expired. Please open the app's sign-in again."},
    "de": {"title": "App autorisieren", "intro": "{app} möchte auf dein Konto zugreifen.",
           "scopes": "Angefragte Berechtigungen", "login": "E-Mail-Adresse oder Benutzername",
           "password": "Passwort", "approve": "Autorisieren", "deny": "Ablehnen",
           "wrong": "E-Mail-Adresse, Benutzername oder Passwort ist falsch.",
           "code_title": "Autorisierungscode",
           "code_intro": "Kopiere diesen Code und füge ihn in der App ein.",
           "error_title": "Diese Anfrage kann nicht autorisiert werden",
           "signed_in_as": "Du bist als {name} angemeldet.", "sso": "Mit {name} anmelden",
           "expired": "Dieses Formular ist abgelaufen. Öffne die Anmeldung der App erneut."},
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


def _form(request: Request, browser: Browser, lang: str, status_code: int = 200, *, app,
          scopes: list[str], params: dict, login: str = "", error: str | None = None):
    settings = browser.settings
    page = _page(request, "authorize.html", lang, status_code, app_name=app.name,
                 scopes=scopes, hidden=_hidden(params), login=login, error=error,
                 signed_in_as=f"@{browser.account.username}" if browser.session else None,
                 csrf=browser.csrf, passwords=settings.passwords_allowed,
                 sso_name=settings.oidc_name if settings.sso_configured else None,
                 sso_url=_single_sign_on_url(params))
    browser.set_cookies(page)
    return page


def _hidden(params: dict) -> dict:
    return {k: params[k] for k in FLOW_FIELDS if params.get(k)}


def _here(params: dict) -> str:
    return "/oauth/authorize?" + urlencode(_hidden(params))


def _single_sign_on_url(params: dict) -> str:
    """Single sign-on, then back to this page with the app's request."""
    return "/web/sign-in/sso?" + urlencode({"next": _here(params)})


@router.get("/oauth/authorize")
async def authorize_page(request: Request, browser: CurrentBrowser) -> Response:
    params = dict(request.query_params)
    lang = _language(request, params)
    try:
        app, _, scopes = await _flow(request, params)
    except OAuthError as exc:
        return _page(request, "error.html", lang, 400, message=exc.description)
    if browser.session is None and not browser.settings.passwords_allowed:
        return browser.redirect(_single_sign_on_url(params))
    return _form(request, browser, lang, app=app, scopes=scopes, params=params)


@router.post("/oauth/authorize")
async def authorize_submit(request: Request, browser: CurrentBrowser) -> Response:
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
    login = str(params.get("login") or "")
    as_signed_in = browser.session is not None and "login" not in params
    if as_signed_in and not browser.form_is_genuine(params):
        return _page(request, "error.html", lang, 403, message=TEXTS[lang]["expired"])
    try:
        if as_signed_in:
            user, first_step = browser.user, None
        else:
            authenticated = await authenticate_user(
                uows(request), login=login, password=str(params.get("password") or ""),
                network_address=visit_of(browser).network_address)
            if authenticated is None:
                return _form(request, browser, lang, 401, app=app, scopes=scopes,
                             params=params, login=login, error=TEXTS[lang]["wrong"])
            user, first_step = authenticated.user, authenticated.method
        oauth.check_user_may_sign_in(user)
    except DomainError as exc:
        return _form(request, browser, lang, exc.status_code, app=app, scopes=scopes,
                     params=params, login=login, error=explain(exc, lang))
    async with uows(request).write() as uow:
        if first_step and user.totp_secret:
            # The code page signs the browser in, then comes back here to choose.
            await ask_for_second_factor(uow, user=user, browser_secret=browser.secret,
                                        next_path=_here(params), first_step=first_step)
            return browser.redirect(CODE_PATH)
        code = await oauth.issue_code(
            uow, app=app, user_id=user.id, redirect_uri=redirect_uri, scopes=scopes,
            code_challenge=params.get("code_challenge"),
            code_challenge_method=params.get("code_challenge_method"))
    if redirect_uri == oauth.OOB_REDIRECT:
        return _page(request, "code.html", lang, code=code)
    return _back_to_app(redirect_uri, state, code=code)



