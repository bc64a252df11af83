"""Where e-mails' "turn these off" links lead: a page with a button (a link scanner's GET
changes nothing), and the one-click POST of RFC 8058 that mail programs send without cookies."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.domain.errors import DomainError
from zwitscher.services.mail_links import UNSUBSCRIBE_PATH, unsubscribe, unsubscribed_kind
from zwitscher.web.browser import CurrentBrowser

router = APIRouter()


@router.get(UNSUBSCRIBE_PATH, include_in_schema=False)
async def unsubscribe_page(browser: CurrentBrowser, token: str = "") -> Response:
    try:
        async with uows(browser.request).read() as uow:
            kind = await unsubscribed_kind(uow, token=token)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.render("unsubscribe.html", kind=kind, token=token, done=False)


@router.post(UNSUBSCRIBE_PATH, include_in_schema=False)
async def unsubscribe_now(request: Request, browser: CurrentBrowser, token: str = "") -> Response:
    try:
        async with uows(request).write() as uow:
            kind = await unsubscribe(uow, token=token)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.render("unsubscribe.html", kind=kind, token=token, done=True)
