"""The statuses a person bookmarked or favourited, newest mark first, paged: the same
repository call as the API's lists, so a post they may no longer see is left out."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.api.pagination import page_from
from zwitscher.domain.errors import DomainError
from zwitscher.views.shown import show_statuses
from zwitscher.web.browser import Browser
from zwitscher.web.guards import SignedIn

router = APIRouter()


async def _marked(browser: Browser, mark: str, path: str) -> Response:
    request, viewer = browser.request, browser.session.viewer
    try:
        page = page_from(request)
    except DomainError as exc:
        return browser.problem(exc)
    async with uows(request).read() as uow:
        pairs = await uow.interactions.marked_statuses(mark, viewer.account_id, page)
        entities, _ = await show_statuses(uow, [row.id for _, row in pairs],
                                          viewer_id=viewer.account_id)
    paged = page.max_id is not None or page.min_id is not None
    return browser.render(
        "saved.html", mark=mark, here=path, statuses=entities, paged=paged,
        newer_id=pairs[0][0] if pairs and paged else None,
        older_id=pairs[-1][0] if len(pairs) >= page.limit else None)


@router.get("/web/bookmarks", include_in_schema=False)
async def bookmarks(browser: SignedIn) -> Response:
    return await _marked(browser, "bookmark", "/web/bookmarks")


@router.get("/web/favourites", include_in_schema=False)
async def favourites(browser: SignedIn) -> Response:
    return await _marked(browser, "favourite", "/web/favourites")
