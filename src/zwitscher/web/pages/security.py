"""Settings › Two-factor authentication: turn it on with an authenticator app, see how many
recovery codes are left, renew them, turn it off."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import actor_of, uows
from zwitscher.domain.errors import DomainError
from zwitscher.domain.ids import parse_id
from zwitscher.services.notice_new_sign_in import choose_sign_in_notices
from zwitscher.services.security_keys import (
    add_security_key,
    registration_options,
    remove_security_key,
)
from zwitscher.services.two_factor import (
    disable_two_factor,
    enable_two_factor,
    new_enrolment,
    renew_recovery_codes,
    second_factor_required,
)
from zwitscher.web.browser import Browser
from zwitscher.web.guards import SECURITY_PATH, GenuineForm, SignedIn
from zwitscher.web.pages.invite import shows_invite_link

router = APIRouter()


async def _page(browser: Browser, *, status_code: int = 200, error: str | None = None,
                codes: list[str] | None = None, secret: str | None = None,
                notice: str | None = None) -> Response:
    async with uows(browser.request).read() as uow:
        user = await uow.accounts.user_by_id(browser.user.id)
        left = await uow.second_factors.recovery_codes_left(user.id)
        keys = await uow.security_keys.of_user(user.id)
        invite_link = await shows_invite_link(uow, browser)
    settings = browser.settings
    enrolment = None if user.totp_secret else new_enrolment(
        label=f"{browser.account.username}@{browser.request.url.hostname}",
        issuer=settings.instance_title, secret=secret)
    return browser.render(
        "settings_security.html", status_code=status_code, enabled=bool(user.totp_secret),
        enrolment=enrolment, codes=codes, codes_left=left, error=error, notice=notice,
        keys=keys,
        notify_new_sign_in=user.notify_new_sign_in,
        required=second_factor_required(settings, user),
        by_provider=browser.session.method == "sso" or not settings.passwords_allowed,
        may_invite=invite_link)


@router.get(SECURITY_PATH, include_in_schema=False)
async def security_settings(browser: SignedIn) -> Response:
    return await _page(browser)


@router.post(SECURITY_PATH + "/keys/options", include_in_schema=False)
async def key_options(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    """The challenge for a new security key (JSON for the page's script)."""
    async with uows(request).write() as uow:
        options = await registration_options(
            uow, user=browser.user, username=browser.account.username,
            display_name=browser.account.display_name, browser_secret=browser.secret)
    return Response(options, media_type="application/json")


@router.post(SECURITY_PATH, include_in_schema=False)
async def change_second_factor(request: Request, browser: SignedIn,
                               form: GenuineForm) -> Response:
    action, password = form.get("action"), form.get("password", "")
    codes, notice = None, None
    try:
        async with uows(request).write() as uow:
            actor = await actor_of(uow, browser.session.viewer)
            user = await uow.accounts.user_by_id(browser.user.id)
            if action == "enable" and not user.totp_secret:
                codes = await enable_two_factor(uow, actor=actor, user=user, password=password,
                                                secret=form.get("secret", ""),
                                                code=form.get("code", ""))
                notice = "enabled"
            elif action == "renew" and user.totp_secret:
                codes = await renew_recovery_codes(uow, actor=actor, user=user,
                                                   password=password)
                notice = "renewed"
            elif action == "disable" and user.totp_secret:
                await disable_two_factor(uow, actor=actor, user=user, password=password)
                notice = "disabled"
            elif action == "add_key":
                await add_security_key(uow, actor=actor, user=user,
                                       browser_secret=browser.secret,
                                       answer=form.get("credential", ""),
                                       name=form.get("name", ""), password=password)
                notice = "key_added"
            elif action == "remove_key":
                await remove_security_key(uow, actor=actor, user=user,
                                          key_id=parse_id(form.get("key")) or 0,
                                          password=password)
                notice = "key_removed"
            elif action == "notices":
                await choose_sign_in_notices(uow, user_id=user.id,
                                             wanted=form.get("notify_new_sign_in") == "on")
                notice = "notices"
    except DomainError as exc:
        return await _page(browser, status_code=exc.status_code, error=browser.explain(exc),
                           secret=form.get("secret"))
    # After the commit: the page shows what is now stored.
    return await _page(browser, codes=codes, notice=notice)
