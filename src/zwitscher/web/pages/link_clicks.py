"""`/l/<status id>/<n>.<signature>`: a link in a post, followed through our redirect
(`services/follow_link.py`). A write (the click is counted), but a GET: it is a link."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.domain.errors import DomainError
from zwitscher.domain.link_clicks import PATH
from zwitscher.services.follow_link import follow_link
from zwitscher.web.browser import CurrentBrowser

router = APIRouter()


@router.get(PATH + "/{status_id}/{token}", include_in_schema=False)
async def follow(browser: CurrentBrowser, status_id: str, token: str) -> Response:
    if not (status_id.isascii() and status_id.isdigit()) or len(status_id) > 19:
        return browser.not_found()
    try:
        async with uows(browser.request).write() as uow:
            address = await follow_link(uow, status_id=int(status_id), token=token,
                                        viewer_id=browser.account.id if browser.account
                                        else None)
    except DomainError as exc:
        return browser.problem(exc)
    response = browser.redirect(address)
    # The site linked to learns nothing of the post the reader came from.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
