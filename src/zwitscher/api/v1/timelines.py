"""Home, public and hashtag timelines."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request

from zwitscher.api.deps import OptionalViewer, Origin, scoped, uows
from zwitscher.api.deps import origin as origin_of
from zwitscher.api.entities import Status
from zwitscher.api.operations import declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Params, parse
from zwitscher.api.presenters.statuses import render_statuses
from zwitscher.api.responses import RawJSON
from zwitscher.db.repos.pages import PageState
from zwitscher.db.uow import UnitOfWork
from zwitscher.services.read_home import read_home

router = APIRouter()


def _respond(request: Request, read: Callable[[UnitOfWork], Awaitable[list]], *,
             viewer_id: int | None, origin: str, filter_context: str) -> Awaitable[RawJSON]:
    """Read a timeline's statuses and present them, in one step (`read_at_once`)."""

    async def respond(uow: UnitOfWork) -> RawJSON:
        ids = [row.id for row in await read(uow)]
        page = await render_statuses(uow, ids, viewer_id=viewer_id, origin=origin,
                                     filter_context=filter_context)
        response = RawJSON(page.json_array())
        # Pages are cut by the rows read, so a page thinned by filters still links on.
        link_header(request, response, ids)
        return response

    return uows(request).read_at_once(respond)


_reads_statuses = scoped("read:statuses")


@declare(returns=list[Status], paged=True, scopes=("read:statuses",))
async def home(request: Request) -> RawJSON:
    """The page read most of all, so a plain Starlette route: FastAPI's dependency solving
    and endpoint wrapping took a seventh of a cached page's CPU (0.44 against 0.51 ms per
    page in-process). The token and the paging parameters are read as in every other route,
    and errors reach the same handlers."""
    viewer = await _reads_statuses(request)
    origin = origin_of(request)
    page = page_from(request)

    async def present(uow: UnitOfWork, ids: list[int], state: PageState) -> RawJSON:
        presented = await render_statuses(uow, ids, viewer_id=viewer.account_id, origin=origin,
                                          filter_context="home", state=state)
        response = RawJSON(presented.json_array())
        link_header(request, response, ids)
        return response

    return await read_home(uows(request), request.app.state.feeds,
                           viewer_id=viewer.account_id, page=page, present=present)


router.add_route("/api/v1/timelines/home", home, methods=["GET"])


class PublicFilters(Params):
    local: bool = False
    remote: bool = False
    only_media: bool = False


@router.get("/api/v1/timelines/public")
@declare(returns=list[Status], takes=PublicFilters, paged=True)
async def public(request: Request, origin: Origin, viewer: OptionalViewer) -> RawJSON:
    filters = await parse(request, PublicFilters)
    page = page_from(request)
    viewer_id = viewer.account_id if viewer else None

    async def read(uow: UnitOfWork) -> list:
        # Every account here is local, so `remote` asks for nothing.
        return [] if filters.remote else await uow.statuses.public_timeline(
            viewer_id, page, only_media=filters.only_media)

    return await _respond(request, read, viewer_id=viewer_id, origin=origin,
                          filter_context="public")


class TagFilters(Params):
    any: list[str] = []
    all: list[str] = []
    none: list[str] = []
    local: bool = False
    remote: bool = False
    only_media: bool = False


@router.get("/api/v1/timelines/tag/{hashtag}")
@declare(returns=list[Status], takes=TagFilters, paged=True)
async def tag(request: Request, hashtag: str, origin: Origin, viewer: OptionalViewer) -> RawJSON:
    filters = await parse(request, TagFilters)
    page = page_from(request)
    viewer_id = viewer.account_id if viewer else None

    async def read(uow: UnitOfWork) -> list:
        return [] if filters.remote else await uow.statuses.tag_timeline(
            viewer_id, page, any_of=[hashtag.lstrip("#"), *filters.any][:10],
            all_of=filters.all[:10], none_of=filters.none[:10], only_media=filters.only_media)

    return await _respond(request, read, viewer_id=viewer_id, origin=origin,
                          filter_context="public")
