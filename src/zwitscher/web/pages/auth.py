"""First-run setup, sign in, sign out, forgotten passwords and the language switcher."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher import i18n
from zwitscher.api.deps import uows
from zwitscher.domain.errors import DomainError, TooManyAttempts
from zwitscher.services.change_language import change_language
from zwitscher.services.register_account import NewAccount
from zwitscher.services.request_password_reset import request_password_reset
from zwitscher.services.send_password_link import SET_PASSWORD_PATH
from zwitscher.services.set_password import find_password_link, set_password_with_link
from zwitscher.services.set_up_instance import instance_needs_setup, set_up_instance
from zwitscher.services.web_sessions import (
    WrongCredentials,
    end_web_session,
    open_web_session,
    start_web_session,
)
from zwitscher.web.browser import LANGUAGE_COOKIE, SESSION_COOKIE, Browser, CurrentBrowser
from zwitscher.web.guards import GenuineForm

router = APIRouter()


def _user_agent(request: Request) -> str:
    return request.headers.get("user-agent", "")[:300]


@router.get("/web", include_in_schema=False)
async def start(browser: CurrentBrowser) -> Response:
    if browser.session is not None:
        return browser.redirect("/web/home")
    async with uows(browser.request).read() as uow:
        new_instance = await instance_needs_setup(uow)
    return browser.redirect("/web/setup" if new_instance else "/web/sign-in")


@router.get("/web/setup", include_in_schema=False)
async def setup_page(browser: CurrentBrowser) -> Response:
    async with uows(browser.request).read() as uow:
        if not await instance_needs_setup(uow):
            return browser.redirect("/web/sign-in")
    return browser.render("setup.html", form={}, error=None)


@router.post("/web/setup", include_in_schema=False)
async def setup_submit(request: Request, browser: CurrentBrowser, form: GenuineForm) -> Response:
    new = NewAccount(username=form.get("username", "").strip(), email=form.get("email", "").strip(),
                     password=form.get("password", ""),
                     display_name=form.get("display_name", "").strip(), locale=browser.language)
    try:
        async with uows(request).write() as uow:
            registered = await set_up_instance(uow, new)
            secret = await open_web_session(uow, user_id=registered.user_id,
                                            user_agent=_user_agent(request))
    except DomainError as exc:
        return browser.render("setup.html", status_code=exc.status_code, form=form,
                              error=browser.explain(exc))
    browser.cookies_to_set[SESSION_COOKIE] = secret
    return browser.redirect("/web/home")


@router.get("/web/sign-in", include_in_schema=False)
async def sign_in_page(browser: CurrentBrowser) -> Response:
    if browser.session is not None:
        return browser.redirect("/web/home")
    done = browser.request.query_params.get("done") == "password"
    return browser.render("sign_in.html", login="", error=None, password_set=done)


@router.post("/web/sign-in", include_in_schema=False)
async def sign_in_submit(request: Request, browser: CurrentBrowser, form: GenuineForm) -> Response:
    login = form.get("login", "").strip()
    try:
        async with uows(request).write() as uow:
            secret = await start_web_session(uow, login=login, password=form.get("password", ""),
                                             user_agent=_user_agent(request))
    except WrongCredentials:
        return browser.render("sign_in.html", status_code=401, login=login, error="wrong")
    except DomainError as exc:
        return browser.render("sign_in.html", status_code=exc.status_code, login=login,
                              error=browser.explain(exc))
    browser.cookies_to_set[SESSION_COOKIE] = secret
    return browser.redirect("/web/home")


@router.post("/web/sign-out", include_in_schema=False)
async def sign_out(request: Request, browser: CurrentBrowser, _form: GenuineForm) -> Response:
    async with uows(request).write() as uow:
        await end_web_session(uow, secret=request.cookies.get(SESSION_COOKIE, "")[:100])
    browser.cookies_to_set[SESSION_COOKIE] = ""
    return browser.redirect("/web/sign-in")


@router.get("/web/password/forgot", include_in_schema=False)
async def forgot_password_page(browser: CurrentBrowser) -> Response:
    return browser.render("password_forgot.html", email="", sent=False, error=None)


@router.post("/web/password/forgot", include_in_schema=False)
async def forgot_password_submit(request: Request, browser: CurrentBrowser,
                                 form: GenuineForm) -> Response:
    email = form.get("email", "").strip()[:320]
    try:
        async with uows(request).write() as uow:
            await request_password_reset(uow, email=email, network_address=_address(request))
    except TooManyAttempts as exc:
        return browser.render("password_forgot.html", status_code=exc.status_code, email=email,
                              sent=False, error=browser.explain(exc))
    return browser.render("password_forgot.html", email=email, sent=True, error=None)


@router.get(SET_PASSWORD_PATH, include_in_schema=False)
async def set_password_page(browser: CurrentBrowser, token: str = "") -> Response:
    return await _password_page(browser, token)


@router.post(SET_PASSWORD_PATH, include_in_schema=False)
async def set_password_submit(request: Request, browser: CurrentBrowser,
                              form: GenuineForm) -> Response:
    token = form.get("token", "")
    try:
        async with uows(request).write() as uow:
            await set_password_with_link(uow, token=token, password=form.get("password", ""))
    except DomainError as exc:
        return await _password_page(browser, token, problem=exc)
    # Any session this browser had belonged to the old password: it has ended.
    browser.cookies_to_set[SESSION_COOKIE] = ""
    return browser.redirect("/web/sign-in?done=password")


async def _password_page(browser: Browser, token: str, *,
                         problem: DomainError | None = None) -> Response:
    """The form behind a link, with `problem` if a try failed; a dead link, if it is one."""
    try:
        async with uows(browser.request).read() as uow:
            link = await find_password_link(uow, token=token)
    except DomainError as exc:
        link, token, problem = None, "", exc
    return browser.render("password_set.html", status_code=problem.status_code if problem else 200,
                          link=link, token=token,
                          error=browser.explain(problem) if problem else None)


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/web/language", include_in_schema=False)
async def switch_language(request: Request, browser: CurrentBrowser, form: GenuineForm) -> Response:
    language = i18n.supported(form.get("language"))
    if language is None:
        return browser.render("problem.html", status_code=422, message="unknown language")
    if browser.user is not None:
        async with uows(request).write() as uow:
            await change_language(uow, user_id=browser.user.id, language=language)
    browser.cookies_to_set[LANGUAGE_COOKIE] = language
    back = form.get("back", "")
    # Only a path of ours: never an open redirect to another site.
    ours = back.startswith("/") and not back.startswith("//") and "\\" not in back
    return browser.redirect(back if ours else "/web")
