"""The link that confirms an address, and the page that sends it again."""

from __future__ import annotations

from fastapi import Request
from fastapi.routing import APIRouter
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.domain.errors import DomainError, TooManyAttempts
from zwitscher.services.confirm_email import (
    CONFIRM_PATH,
    confirm_email,
    request_confirmation_link,
)
from zwitscher.web.browser import CurrentBrowser, visit_of
from zwitscher.web.guards import GenuineForm

router = APIRouter()
AGAIN_PATH = "/web/confirm/again"


@router.get(CONFIRM_PATH, include_in_schema=False)
async def follow_link(request: Request, browser: CurrentBrowser, token: str = "") -> Response:
    # Following the link is the confirmation: the address received it (a mail program that
    # opens links to check them confirms no more than that either).
    try:
        async with uows(request).write() as uow:
            await confirm_email(uow, token=token)
    except DomainError as exc:
        return browser.render("confirm_again.html", status_code=exc.status_code, email="",
                              sent=False, error=browser.explain(exc))
    if browser.session is not None:
        return browser.redirect("/web/settings/password?done=email#email-heading")
    return browser.redirect("/web/sign-in?done=confirmed")


@router.get(AGAIN_PATH, include_in_schema=False)
async def again_page(browser: CurrentBrowser) -> Response:
    return browser.render("confirm_again.html", email="", sent=False, error=None)


@router.post(AGAIN_PATH, include_in_schema=False)
async def again_submit(request: Request, browser: CurrentBrowser, form: GenuineForm) -> Response:
    email = form.get("email", "").strip()[:320]
    try:
        async with uows(request).write() as uow:
            await request_confirmation_link(uow, email=email,
                                            network_address=visit_of(browser).network_address)
    except TooManyAttempts as exc:
        return browser.render("confirm_again.html", status_code=exc.status_code, email=email,
                              sent=False, error=browser.explain(exc))
    return browser.render("confirm_again.html", email=email, sent=True, error=None)
