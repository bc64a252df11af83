"""Finding people and topics: the profile directory and trends (tags, statuses, links)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from zwitscher.api.deps import OptionalViewer, Origin, uows
from zwitscher.api.params import Params, parse
from zwitscher.api.presenters.accounts import present_account_rows
from zwitscher.api.presenters.statuses import present_statuses
from zwitscher.api.responses import JSON
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.trends import links_of, rank, week_start
from zwitscher.services.list_directory import list_directory

router = APIRouter()


class DirectoryQuery(Params):
    offset: int = 0
    limit: int = 40
    order: str = "active"
    local: bool = False


class TrendsQuery(Params):
    offset: int = 0
    limit: int = 10


def _window(offset: int, limit: int, maximum: int) -> tuple[int, int]:
    if offset < 0 or limit < 0:
        raise ValidationFailed("offset and limit must not be negative")
    return min(offset, 10_000), min(max(limit, 1), maximum)


@router.get("/api/v1/directory")
async def directory(request: Request, origin: Origin) -> JSON:
    query = await parse(request, DirectoryQuery)
    offset, limit = _window(query.offset, query.limit, 80)
    async with uows(request).read() as uow:
        rows = await list_directory(uow, order=query.order, offset=offset, limit=limit)
        return JSON(await present_account_rows(uow, rows, origin))


@router.get("/api/v1/trends/tags")
@router.get("/api/v1/trends")
async def trending_tags(request: Request, origin: Origin, viewer: OptionalViewer) -> JSON:
    query = await parse(request, TrendsQuery)
    offset, limit = _window(query.offset, query.limit, 20)
    now = utcnow()
    async with uows(request).read() as uow:
        trends = rank(await uow.trends.tag_uses(week_start(now)), now)[offset:offset + limit]
        followed = await uow.tags.followed_names(viewer.account_id, [t.key for t in trends]) \
            if viewer and viewer.account_id else set()
    return JSON([{"name": t.key, "url": f"{origin}/tags/{t.key.lower()}", "history": t.history,
                  "following": t.key.lower() in followed} for t in trends])


@router.get("/api/v1/trends/statuses")
async def trending_statuses(request: Request, origin: Origin, viewer: OptionalViewer) -> JSON:
    query = await parse(request, TrendsQuery)
    offset, limit = _window(query.offset, query.limit, 40)
    viewer_id = viewer.account_id if viewer else None
    async with uows(request).read() as uow:
        rows = await uow.trends.interacted_statuses(week_start(utcnow()), viewer_id=viewer_id,
                                                    limit=limit, offset=offset)
        return JSON(await present_statuses(uow, rows, viewer_id=viewer_id, origin=origin))


@router.get("/api/v1/trends/links")
async def trending_links(request: Request) -> JSON:
    query = await parse(request, TrendsQuery)
    offset, limit = _window(query.offset, query.limit, 20)
    now = utcnow()
    async with uows(request).read() as uow:
        rows = await uow.trends.linking_statuses(week_start(now))
    uses = [(url, row.created_at, row.account_id) for row in rows for url in links_of(row.text)]
    # No preview cards are fetched (nothing leaves the server), so the card is the link itself.
    return JSON([{"url": t.key, "title": t.key, "description": "", "type": "link",
                  "author_name": "", "author_url": "", "provider_name": "", "provider_url": "",
                  "html": "", "width": 0, "height": 0, "image": None, "embed_url": "",
                  "blurhash": None, "history": t.history}
                 for t in rank(uses, now)[offset:offset + limit]])
