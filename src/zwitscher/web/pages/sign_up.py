"""The sign-up page, as the registration mode allows: open, with approval (a reason), with an
invitation code, or closed. The address is confirmed by its link before the first sign-in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.domain.errors import DomainError, ValidationFailed
from zwitscher.services.register_account import NewAccount
from zwitscher.services.sign_up import sign_up_in_browser
from zwitscher.settings import RegistrationMode
from zwitscher.web.browser import Browser, CurrentBrowser, visit_of
from zwitscher.web.guards import GenuineForm

router = APIRouter()
SIGN_UP_PATH = "/web/sign-up"
FIELDS = ("username", "email", "display_name", "reason", "invite_code")


def _page(browser: Browser, *, status_code: int = 200, form: dict | None = None,
          error: str | None = None, sent_to: str | None = None) -> Response:
    mode = browser.settings.registrations
    return browser.render("sign_up.html", status_code=status_code, form=form or {},
                          error=error, sent_to=sent_to, mode=mode.value,
                          closed=mode == RegistrationMode.CLOSED)


@router.get(SIGN_UP_PATH, include_in_schema=False)
async def sign_up_page(browser: CurrentBrowser) -> Response:
    if browser.session is not None:
        return browser.redirect("/web/home")
    return _page(browser, form={"invite_code": browser.request.query_params.get("invite", "")})


@router.post(SIGN_UP_PATH, include_in_schema=False)
async def sign_up_submit(request: Request, browser: CurrentBrowser,
                         form: GenuineForm) -> Response:
    fields = {name: form.get(name, "").strip()[:1000] for name in FIELDS}
    try:
        if form.get("agreement") != "on":
            raise ValidationFailed("Agreement must be accepted")
        async with uows(request).write() as uow:
            await sign_up_in_browser(uow, NewAccount(
                username=fields["username"], email=fields["email"][:320],
                password=form.get("password", ""), display_name=fields["display_name"][:100],
                locale=browser.language, reason=fields["reason"],
                invite_code=fields["invite_code"] or None),
                network_address=visit_of(browser).network_address)
    except DomainError as exc:
        return _page(browser, status_code=exc.status_code, form=fields,
                     error=browser.explain(exc))
    return _page(browser, sent_to=fields["email"])
