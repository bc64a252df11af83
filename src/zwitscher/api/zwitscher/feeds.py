"""Aggregated feeds: the organisation's and each group's, as Mastodon statuses and as Atom/RSS.

Who may read which feed is decided in `services/read_feed.py`. Feed readers cannot sign in, so
the Atom and RSS documents take the token where readers can put it, in `?access_token=`.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from zwitscher.api.deps import OptionalViewer, Origin, path_id, scoped, uows
from zwitscher.api.entities import Status
from zwitscher.api.operations import declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.presenters.feeds import FORMATS, FeedHeading
from zwitscher.api.presenters.statuses import present_statuses
from zwitscher.api.responses import JSON
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound
from zwitscher.services.oauth import Viewer
from zwitscher.services.read_feed import Feed, read_feed

router = APIRouter()

async def _statuses(uow: UnitOfWork, request: Request, feed: Feed, viewer: Viewer | None,
                    origin: str) -> JSON:
    viewer_id = viewer.account_id if viewer else None
    response = JSON(await present_statuses(uow, feed.statuses, viewer_id=viewer_id,
                                           origin=origin))
    link_header(request, response, [row.id for row in feed.statuses])
    return response


@router.get("/api/zwitscher/v1/feeds/organisation")
@declare(returns=list[Status], paged=True)
async def organisation_feed(request: Request, origin: Origin, viewer: OptionalViewer) -> JSON:
    page = page_from(request)
    async with uows(request).read() as uow:
        feed = await read_feed(uow, viewer=viewer, page=page)
        return await _statuses(uow, request, feed, viewer, origin)


@router.get("/api/zwitscher/v1/groups/{group_id}/feed")
@declare(returns=list[Status], paged=True)
async def group_feed(request: Request, group_id: str, origin: Origin,
                     viewer: Viewer = Depends(scoped("read:statuses"))) -> JSON:
    page = page_from(request)
    async with uows(request).read() as uow:
        feed = await read_feed(uow, viewer=viewer, page=page, group_id=path_id(group_id))
        return await _statuses(uow, request, feed, viewer, origin)


def _format(extension: str):
    if extension not in FORMATS:
        raise NotFound()
    return FORMATS[extension]


@router.get("/feeds/organisation.{extension}", include_in_schema=False)
async def organisation_document(request: Request, extension: str, origin: Origin,
                                viewer: OptionalViewer) -> Response:
    render, media_type = _format(extension)
    settings = request.app.state.settings
    heading = FeedHeading(
        title=settings.instance_title,
        description=f"Public posts of the people and brand accounts of {settings.instance_title}",
        self_url=f"{origin}/feeds/organisation.{extension}", home_url=f"{origin}/")
    async with uows(request).read() as uow:
        feed = await read_feed(uow, viewer=viewer, page=page_from(request))
        body = await render(uow, feed.statuses, heading=heading, origin=origin)
    return Response(body, media_type=media_type)


@router.get("/feeds/groups/{slug}.{extension}", include_in_schema=False)
async def group_document(request: Request, slug: str, extension: str, origin: Origin,
                         viewer: OptionalViewer) -> Response:
    render, media_type = _format(extension)
    settings = request.app.state.settings
    async with uows(request).read() as uow:
        feed = await read_feed(uow, viewer=viewer, page=page_from(request), group_slug=slug)
        heading = FeedHeading(
            title=f"{feed.group.name} ({settings.instance_title})",
            description=feed.group.description or f"Public posts of {feed.group.name}",
            self_url=f"{origin}/feeds/groups/{feed.group.slug}.{extension}",
            home_url=f"{origin}/")
        body = await render(uow, feed.statuses, heading=heading, origin=origin)
    return Response(body, media_type=media_type)
