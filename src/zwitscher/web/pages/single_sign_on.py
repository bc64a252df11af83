"""Single sign-on: the button's target, and where the identity provider sends the browser back."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.domain.errors import DomainError, NotFound
from zwitscher.oidc import openid_client
from zwitscher.services.sign_in_with_provider import (
    CALLBACK_PATH,
    SignInFailed,
    begin_provider_sign_in,
    finish_provider_sign_in,
    our_path,
)
from zwitscher.web.browser import SESSION_COOKIE, Browser, CurrentBrowser, visit_of

router = APIRouter()


@router.get("/web/sign-in/sso", include_in_schema=False)
async def start_single_sign_on(browser: CurrentBrowser, next: str = "") -> Response:
    if not browser.request.app.state.settings.sso_configured:
        return browser.problem(NotFound())
    if browser.session is not None:
        return browser.redirect(our_path(next))
    units = uows(browser.request)
    try:
        url = await begin_provider_sign_in(units, openid_client(units.settings),
                                           browser_secret=browser.secret, next_path=next)
    except DomainError as exc:
        return _sign_in_page(browser, exc)
    return browser.redirect(url)


@router.get(CALLBACK_PATH, include_in_schema=False)
async def finish_single_sign_on(request: Request, browser: CurrentBrowser, state: str = "",
                                code: str = "", error: str = "") -> Response:
    if not request.app.state.settings.sso_configured:
        return browser.problem(NotFound())
    if error:
        # The person cancelled at the provider, or it refused them.
        return _sign_in_page(browser, SignInFailed())
    units = uows(request)
    try:
        done = await finish_provider_sign_in(
            units, openid_client(units.settings), state=state[:200], code=code[:2000],
            visit=visit_of(browser))
    except DomainError as exc:
        return _sign_in_page(browser, exc)
    if done.secret is not None:
        browser.cookies_to_set[SESSION_COOKIE] = done.secret
    return browser.redirect(done.next_path)


def _sign_in_page(browser: Browser, problem: DomainError) -> Response:
    return browser.render("sign_in.html", status_code=problem.status_code, login="",
                          error=browser.explain(problem), done=None)
