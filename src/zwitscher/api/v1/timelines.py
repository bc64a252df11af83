"""Home, public and hashtag timelines."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from zwitscher.api.deps import OptionalViewer, Origin, scoped, uows
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Params, parse
from zwitscher.api.presenters.statuses import hidden_by_filter, present_statuses
from zwitscher.api.responses import JSON
from zwitscher.services.oauth import Viewer

router = APIRouter()


async def _respond(request: Request, uow, rows, viewer_id: int | None, origin: str,
                   filter_context: str) -> JSON:
    entities = await present_statuses(uow, rows, viewer_id=viewer_id, origin=origin,
                                      filter_context=filter_context)
    # Pages are cut by the rows read, so a page thinned by filters still links on correctly.
    response = JSON([entity for entity in entities if not hidden_by_filter(entity)])
    link_header(request, response, [row.id for row in rows])
    return response


@router.get("/api/v1/timelines/home")
async def home(request: Request, origin: Origin,
               viewer: Viewer = Depends(scoped("read:statuses"))) -> JSON:
    page = page_from(request)
    async with uows(request).read() as uow:
        rows = await uow.home_feed.timeline(viewer.account_id, page)
        return await _respond(request, uow, rows, viewer.account_id, origin, "home")


class PublicFilters(Params):
    local: bool = False
    remote: bool = False
    only_media: bool = False


@router.get("/api/v1/timelines/public")
async def public(request: Request, origin: Origin, viewer: OptionalViewer) -> JSON:
    filters = await parse(request, PublicFilters)
    page = page_from(request)
    viewer_id = viewer.account_id if viewer else None
    async with uows(request).read() as uow:
        # Every account here is local, so `remote` asks for nothing.
        rows = [] if filters.remote else await uow.statuses.public_timeline(
            viewer_id, page, only_media=filters.only_media)
        return await _respond(request, uow, rows, viewer_id, origin, "public")


class TagFilters(Params):
    any: list[str] = []
    all: list[str] = []
    none: list[str] = []
    local: bool = False
    remote: bool = False
    only_media: bool = False


@router.get("/api/v1/timelines/tag/{hashtag}")
async def tag(request: Request, hashtag: str, origin: Origin, viewer: OptionalViewer) -> JSON:
    filters = await parse(request, TagFilters)
    page = page_from(request)
    viewer_id = viewer.account_id if viewer else None
    async with uows(request).read() as uow:
        rows = [] if filters.remote else await uow.statuses.tag_timeline(
            viewer_id, page, any_of=[hashtag.lstrip("#"), *filters.any][:10],
            all_of=filters.all[:10], none_of=filters.none[:10], only_media=filters.only_media)
        return await _respond(request, uow, rows, viewer_id, origin, "public")
