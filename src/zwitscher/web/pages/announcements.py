"""Dismissing an announcement from the banner every signed-in page shows (`layout.html`; the
banner's announcements are loaded by `browser()`): the service of the API's
`POST /api/v1/announcements/:id/dismiss`, then back to the page the banner was on."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.domain.errors import DomainError
from zwitscher.domain.ids import parse_id
from zwitscher.services.react_to_announcement import dismiss_announcement
from zwitscher.web.guards import GenuineForm, SignedIn
from zwitscher.web.pages.statuses import local_path

router = APIRouter()


@router.post("/web/announcements/{announcement_id}/dismiss", include_in_schema=False)
async def dismiss(announcement_id: str, browser: SignedIn, form: GenuineForm) -> Response:
    """An announcement that is unknown, ended or unpublished is "not found"; one dismissed
    before stays dismissed."""
    try:
        async with uows(browser.request).write() as uow:
            await dismiss_announcement(uow, account_id=browser.session.viewer.account_id,
                                       announcement_id=parse_id(announcement_id) or 0)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(local_path(form.get("back"), "/web/home"))
