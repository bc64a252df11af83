"""Settings › Delete your account, and the page a person whose account waits for its
deletion sees after signing in, where they keep it (`services/request_account_deletion.py`).
There is no API for either: Mastodon's client API has none (its web settings do it too)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import actor_of, uows
from zwitscher.domain.errors import DomainError, TooManyAttempts
from zwitscher.policies.account_deletion import deletion_refused
from zwitscher.services.request_account_deletion import request_account_deletion
from zwitscher.services.two_factor import WrongCode
from zwitscher.services.web_sessions import (
    KEEP_PATH,
    NoSignInWaiting,
    account_to_keep,
    keep_account,
)
from zwitscher.web.browser import SESSION_COOKIE, Browser, CurrentBrowser, visit_of
from zwitscher.web.guards import GenuineForm, SignedIn
from zwitscher.web.pages.invite import shows_invite_link

router = APIRouter()
DELETE_PATH = "/web/settings/delete"


def _by_provider(browser: Browser) -> bool:
    """They confirm with a fresh sign-in, having no password here (as the security page)."""
    return browser.session.method == "sso" or not browser.settings.passwords_allowed


async def _delete_page(browser: Browser, *, status_code: int = 200,
                       error: str | None = None) -> Response:
    async with uows(browser.request).read() as uow:
        user = await uow.accounts.user_by_id(browser.user.id)
        invite_link = await shows_invite_link(uow, browser)
    grace = timedelta(seconds=browser.settings.account_deletion_grace_seconds)
    return browser.render("settings_delete.html", status_code=status_code, error=error,
                          refusal=deletion_refused(user), by_provider=_by_provider(browser),
                          grace=grace, may_invite=invite_link)


@router.get(DELETE_PATH, include_in_schema=False)
async def delete_page(browser: SignedIn) -> Response:
    return await _delete_page(browser)


@router.post(DELETE_PATH, include_in_schema=False)
async def delete_account(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    if form.get("confirm") != "yes":
        return await _delete_page(browser, status_code=422, error="confirm")
    try:
        async with uows(request).write() as uow:
            await request_account_deletion(
                uow, actor=await actor_of(uow, browser.session.viewer),
                user_id=browser.user.id, session_id=browser.session.id,
                password=None if _by_provider(browser) else form.get("password", ""))
    except DomainError as exc:
        return await _delete_page(browser, status_code=exc.status_code,
                                  error=browser.explain(exc))
    browser.cookies_to_set[SESSION_COOKIE] = ""
    return browser.redirect("/web/sign-in?done=deleted")


async def _keep_page(browser: Browser, *, status_code: int = 200,
                     error: str | None = None) -> Response:
    try:
        async with uows(browser.request).read() as uow:
            waiting = await account_to_keep(uow, browser_secret=browser.secret)
    except NoSignInWaiting as exc:
        return _sign_in_again(browser, exc)
    return browser.render("sign_in_keep.html", status_code=status_code, error=error,
                          delete_at=waiting.delete_at, needs_code=waiting.needs_code)


def _sign_in_again(browser: Browser, problem: DomainError) -> Response:
    return browser.render("sign_in.html", status_code=problem.status_code, login="",
                          error=browser.explain(problem), next="/web/home")


@router.get(KEEP_PATH, include_in_schema=False)
async def keep_page(browser: CurrentBrowser) -> Response:
    return await _keep_page(browser)


@router.post(KEEP_PATH, include_in_schema=False)
async def keep(request: Request, browser: CurrentBrowser, form: GenuineForm) -> Response:
    try:
        async with uows(request).write() as uow:
            kept = await keep_account(uow, code=form.get("code", ""), visit=visit_of(browser))
    except NoSignInWaiting as exc:
        return _sign_in_again(browser, exc)
    except TooManyAttempts as exc:
        return await _keep_page(browser, status_code=exc.status_code,
                                error=browser.explain(exc))
    except DomainError as exc:
        return _sign_in_again(browser, exc)
    if kept is None:
        wrong = WrongCode()
        return await _keep_page(browser, status_code=wrong.status_code,
                                error=browser.explain(wrong))
    browser.cookies_to_set[SESSION_COOKIE] = kept.secret
    return browser.redirect(kept.next_path)
