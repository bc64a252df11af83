"""First-run setup, sign in, sign out, forgotten passwords and the language switcher."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from zwitscher import i18n
from zwitscher.api.deps import uows
from zwitscher.domain.errors import DomainError, TooManyAttempts
from zwitscher.oidc import openid_client
from zwitscher.services.change_language import change_language
from zwitscher.services.oauth import Unconfirmed
from zwitscher.services.register_account import NewAccount
from zwitscher.services.request_password_reset import request_password_reset
from zwitscher.services.security_keys import sign_in_options
from zwitscher.services.send_crisis import PUBLIC_PATH
from zwitscher.services.send_password_link import SET_PASSWORD_PATH
from zwitscher.services.set_password import find_password_link, set_password_with_link
from zwitscher.services.set_up_instance import instance_needs_setup, set_up_instance
from zwitscher.services.show_crisis import dark_site
from zwitscher.services.sign_in_with_provider import our_path
from zwitscher.services.two_factor import WrongCode
from zwitscher.services.web_sessions import (
    CODE_PATH,
    KEEP_PATH,
    NoSignInWaiting,
    WrongCredentials,
    end_web_session,
    finish_web_session_with_code,
    finish_web_session_with_key,
    key_options_for_waiting_sign_in,
    open_web_session,
    start_web_session,
    start_web_session_with_passkey,
    waiting_sign_in_has_keys,
)
from zwitscher.web.browser import (
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    Browser,
    CurrentBrowser,
    visit_of,
)
from zwitscher.web.guards import GenuineForm

router = APIRouter()


@router.get("/web", include_in_schema=False)
async def start(browser: CurrentBrowser) -> Response:
    if browser.session is not None:
        return browser.redirect("/web/home")
    async with uows(browser.request).read() as uow:
        new_instance = await instance_needs_setup(uow)
        crisis = await dark_site(uow)
    # In a crisis the public reads the dark site first; it links to the sign-in.
    if crisis is not None:
        return browser.redirect(PUBLIC_PATH)
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
            owner = await uow.accounts.user_by_id(registered.user_id)
            secret = await open_web_session(uow, user=owner, visit=visit_of(browser),
                                            method="setup")
    except DomainError as exc:
        return browser.render("setup.html", status_code=exc.status_code, form=form,
                              error=browser.explain(exc))
    browser.cookies_to_set[SESSION_COOKIE] = secret
    return browser.redirect("/web/home")


@router.get("/web/sign-in", include_in_schema=False)
async def sign_in_page(browser: CurrentBrowser) -> Response:
    if browser.session is not None:
        return browser.redirect("/web/home")
    query = browser.request.query_params
    return browser.render("sign_in.html", login="", error=None, done=query.get("done"),
                          next=our_path(query.get("next")))



@router.post("/web/sign-in", include_in_schema=False)
async def sign_in_submit(request: Request, browser: CurrentBrowser, form: GenuineForm) -> Response:
    login = form.get("login", "").strip()[:320]
    next_path = our_path(form.get("next"))
    try:
        started = await start_web_session(
            uows(request), login=login, password=form.get("password", ""),
            visit=visit_of(browser), next_path=next_path)
    except WrongCredentials:
        return browser.render("sign_in.html", status_code=401, login=login, error="wrong",
                              next=next_path)
    except Unconfirmed as exc:
        return browser.render("sign_in.html", status_code=exc.status_code, login=login,
                              error="unconfirmed", next=next_path)
    except DomainError as exc:
        return browser.render("sign_in.html", status_code=exc.status_code, login=login,
                              error=browser.explain(exc), next=next_path)
    if started.keeping:
        return browser.redirect(KEEP_PATH)
    if started.secret is None:
        return browser.redirect(CODE_PATH)
    browser.cookies_to_set[SESSION_COOKIE] = started.secret
    return browser.redirect(next_path)


@router.get(CODE_PATH, include_in_schema=False)
async def code_page(browser: CurrentBrowser) -> Response:
    return await _code_page(browser)


async def _code_page(browser: Browser, *, status_code: int = 200,
                     error: str | None = None) -> Response:
    async with uows(browser.request).read() as uow:
        has_keys = await waiting_sign_in_has_keys(uow, browser_secret=browser.secret)
    return browser.render("sign_in_code.html", status_code=status_code, error=error,
                          has_keys=has_keys)


@router.post(CODE_PATH, include_in_schema=False)
async def code_submit(request: Request, browser: CurrentBrowser, form: GenuineForm) -> Response:
    return await _second_step(browser, lambda uow: finish_web_session_with_code(
        uow, code=form.get("code", ""), visit=visit_of(browser)))


async def _second_step(browser: Browser, finish) -> Response:
    """Finish a sign-in waiting for its second step (`finish(uow)`: a code or a key; None: a
    wrong code) and sign the browser in, or show what went wrong."""
    try:
        async with uows(browser.request).write() as uow:
            done = await finish(uow)
    except NoSignInWaiting as exc:
        return browser.render("sign_in.html", status_code=exc.status_code, login="",
                              error=browser.explain(exc), next="/web/home")
    except DomainError as exc:
        return await _code_page(browser, status_code=exc.status_code,
                                error=browser.explain(exc))
    if done is None:
        wrong = WrongCode()
        return await _code_page(browser, status_code=wrong.status_code,
                                error=browser.explain(wrong))
    browser.cookies_to_set[SESSION_COOKIE] = done.secret
    return browser.redirect(done.next_path)


@router.post("/web/sign-in/key/options", include_in_schema=False)
async def key_options(request: Request, browser: CurrentBrowser, form: GenuineForm) -> Response:
    """The challenge for a security key, after the password (JSON for the page's script)."""
    try:
        async with uows(request).write() as uow:
            options = await key_options_for_waiting_sign_in(uow, browser_secret=browser.secret)
    except DomainError as exc:
        return JSONResponse({"error": browser.explain(exc)}, status_code=exc.status_code)
    return Response(options, media_type="application/json")


@router.post("/web/sign-in/key", include_in_schema=False)
async def key_submit(request: Request, browser: CurrentBrowser, form: GenuineForm) -> Response:
    return await _second_step(browser, lambda uow: finish_web_session_with_key(
        uow, answer=form.get("credential", ""), visit=visit_of(browser)))


@router.post("/web/sign-in/passkey/options", include_in_schema=False)
async def passkey_options(request: Request, browser: CurrentBrowser,
                          form: GenuineForm) -> Response:
    """The challenge for any passkey of this site (JSON for the page's script)."""
    async with uows(request).write() as uow:
        options = await sign_in_options(uow, browser_secret=browser.secret)
    return Response(options, media_type="application/json")


@router.post("/web/sign-in/passkey", include_in_schema=False)
async def passkey_submit(request: Request, browser: CurrentBrowser,
                         form: GenuineForm) -> Response:
    next_path = our_path(form.get("next"))
    try:
        async with uows(request).write() as uow:
            secret = await start_web_session_with_passkey(
                uow, answer=form.get("credential", ""), visit=visit_of(browser))
    except DomainError as exc:
        return browser.render("sign_in.html", status_code=exc.status_code, login="",
                              error=browser.explain(exc), next=next_path)
    browser.cookies_to_set[SESSION_COOKIE] = secret
    return browser.redirect(next_path)


@router.post("/web/sign-out", include_in_schema=False)
async def sign_out(request: Request, browser: CurrentBrowser, _form: GenuineForm) -> Response:
    units = uows(request)
    async with units.write() as uow:
        id_token = await end_web_session(uow,
                                         secret=request.cookies.get(SESSION_COOKIE, "")[:100])
    browser.cookies_to_set[SESSION_COOKIE] = ""
    if id_token and units.settings.sso_configured:
        # Signed in at the provider, signed out there too: else the next "sign in" would
        # silently sign the same person in again, on a shared computer someone else.
        after = units.settings.base_url.rstrip("/") + "/web/sign-in"
        provider_page = await openid_client(units.settings).logout_url(id_token=id_token,
                                                                      after=after)
        if provider_page:
            return browser.redirect(provider_page)
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
            await request_password_reset(uow, email=email,
                                         network_address=visit_of(browser).network_address)
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
