"""My drafts: the signed-in person's own posts for brand accounts, newest first, paged, each
with its state and, when it was not approved, the reviewer's comment (`list_own_drafts`).
The brand-draft notifications and the composer's "post as" link here."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.api.pagination import page_from
from zwitscher.domain.errors import DomainError
from zwitscher.services.list_own_drafts import list_own_drafts
from zwitscher.web.guards import SignedIn

router = APIRouter()

DRAFTS_PATH = "/web/drafts"


@router.get(DRAFTS_PATH, include_in_schema=False)
async def my_drafts(browser: SignedIn) -> Response:
    try:
        page = page_from(browser.request)
    except DomainError as exc:
        return browser.problem(exc)
    async with uows(browser.request).read() as uow:
        drafts = await list_own_drafts(uow, person_id=browser.session.viewer.account_id,
                                       page=page)
    paged = page.max_id is not None or page.min_id is not None
    return browser.render(
        "drafts.html", drafts=drafts, here=DRAFTS_PATH, paged=paged,
        newer_id=drafts[0].id if drafts and paged else None,
        older_id=drafts[-1].id if len(drafts) >= page.limit else None)
