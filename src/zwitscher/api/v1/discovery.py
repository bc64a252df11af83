"""Finding people and topics: the profile directory and trends (tags, statuses, links)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from zwitscher.api.deps import OptionalViewer, Origin, uows
from zwitscher.api.entities import Account, PreviewCard, Status, preview_card
from zwitscher.api.operations import declare
from zwitscher.api.params import Params, parse
from zwitscher.api.presenters.accounts import present_account_rows
from zwitscher.api.presenters.statuses import present_statuses
from zwitscher.api.presenters.tags import Tag, TagHistory
from zwitscher.api.responses import JSON
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.trends import rank, week_start
from zwitscher.services.list_directory import list_directory
from zwitscher.views.statuses import card_view

router = APIRouter()


class TrendLink(PreviewCard):
    """A PreviewCard with the link's week of history."""

    history: list[TagHistory]


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
@declare(returns=list[Account], takes=DirectoryQuery)
async def directory(request: Request, origin: Origin) -> JSON:
    query = await parse(request, DirectoryQuery)
    offset, limit = _window(query.offset, query.limit, 80)
    async with uows(request).read() as uow:
        rows = await list_directory(uow, order=query.order, offset=offset, limit=limit)
        return JSON(await present_account_rows(uow, rows, origin))


@router.get("/api/v1/trends/tags")
@router.get("/api/v1/trends")
@declare(returns=list[Tag], takes=TrendsQuery)
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
@declare(returns=list[Status], takes=TrendsQuery)
async def trending_statuses(request: Request, origin: Origin, viewer: OptionalViewer) -> JSON:
    query = await parse(request, TrendsQuery)
    offset, limit = _window(query.offset, query.limit, 40)
    viewer_id = viewer.account_id if viewer else None
    async with uows(request).read() as uow:
        rows = await uow.trends.interacted_statuses(week_start(utcnow()), viewer_id=viewer_id,
                                                    limit=limit, offset=offset)
        return JSON(await present_statuses(uow, rows, viewer_id=viewer_id, origin=origin))


@router.get("/api/v1/trends/links")
@declare(returns=list[TrendLink], takes=TrendsQuery)
async def trending_links(request: Request, origin: Origin) -> JSON:
    """Links people share (their preview cards), ranked as tags are."""
    query = await parse(request, TrendsQuery)
    offset, limit = _window(query.offset, query.limit, 20)
    now = utcnow()
    async with uows(request).read() as uow:
        uses = [(str(row.preview_card_id), row.created_at, row.account_id)
                for row in await uow.trends.card_uses(week_start(now))]
        trends = rank(uses, now)[offset:offset + limit]
        cards = await uow.preview_cards.get_many([int(t.key) for t in trends])
    return JSON([preview_card(card_view(cards[int(t.key)]), origin) | {"history": t.history}
                 for t in trends if int(t.key) in cards])
