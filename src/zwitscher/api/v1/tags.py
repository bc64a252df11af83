"""Hashtags: look one up, follow it, and feature it on one's profile."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from zwitscher.api.deps import OptionalViewer, Origin, path_id, scoped, uows
from zwitscher.api.operations import Empty, declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Params, parse
from zwitscher.api.presenters.tags import (
    FeaturedTag,
    Tag,
    present_featured_tag,
    present_tags,
    present_unknown_tag,
)
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import NotFound
from zwitscher.services.feature_tag import feature_tag, suggest_featured_tags, unfeature_tag
from zwitscher.services.follow_tag import follow_tag, tag_name, unfollow_tag
from zwitscher.services.oauth import Viewer

router = APIRouter()


async def _tag(uow, tag, name: str, viewer_id: int | None, origin: str) -> JSON:
    if tag is None:
        return JSON(present_unknown_tag(name, origin))
    return JSON((await present_tags(uow, [tag], viewer_id=viewer_id, origin=origin))[0])


@router.get("/api/v1/tags/{name}")
@declare(returns=Tag)
async def get_tag(request: Request, name: str, origin: Origin, viewer: OptionalViewer) -> JSON:
    name = tag_name(name)
    async with uows(request).read() as uow:
        tag = await uow.tags.by_name(name)
        return await _tag(uow, tag, name, viewer.account_id if viewer else None, origin)


@router.post("/api/v1/tags/{name}/follow")
@declare(returns=Tag)
async def follow(request: Request, name: str, origin: Origin,
                 viewer: Viewer = Depends(scoped("write:follows"))) -> JSON:
    async with uows(request).write() as uow:
        tag = await follow_tag(uow, account_id=viewer.account_id, name=name)
        return await _tag(uow, tag, tag.name, viewer.account_id, origin)


@router.post("/api/v1/tags/{name}/unfollow")
@declare(returns=Tag)
async def unfollow(request: Request, name: str, origin: Origin,
                   viewer: Viewer = Depends(scoped("write:follows"))) -> JSON:
    async with uows(request).write() as uow:
        tag = await unfollow_tag(uow, account_id=viewer.account_id, name=name)
        return await _tag(uow, tag, tag_name(name), viewer.account_id, origin)


@router.get("/api/v1/followed_tags")
@declare(returns=list[Tag], paged=True)
async def followed_tags(request: Request, origin: Origin,
                        viewer: Viewer = Depends(scoped("read:follows"))) -> JSON:
    page = page_from(request, default=100, maximum=200)
    async with uows(request).read() as uow:
        pairs = await uow.tags.followed(viewer.account_id, page)
        response = JSON(await present_tags(uow, [tag for _, tag in pairs],
                                           viewer_id=viewer.account_id, origin=origin))
    link_header(request, response, [follow_id for follow_id, _ in pairs])
    return response


class FeaturedTagCreate(Params):
    name: str


@router.get("/api/v1/featured_tags")
@declare(returns=list[FeaturedTag])
async def featured_tags(request: Request, origin: Origin,
                        viewer: Viewer = Depends(scoped("read:accounts"))) -> JSON:
    async with uows(request).read() as uow:
        account = await uow.accounts.get(viewer.account_id)
        rows = await uow.tags.featured(account.id)
    return JSON([present_featured_tag(row, account.username, origin) for row in rows])


@router.post("/api/v1/featured_tags")
@declare(returns=FeaturedTag, takes=FeaturedTagCreate)
async def create_featured_tag(request: Request, origin: Origin,
                              viewer: Viewer = Depends(scoped("write:accounts"))) -> JSON:
    form = await parse(request, FeaturedTagCreate)
    async with uows(request).write() as uow:
        row = await feature_tag(uow, account_id=viewer.account_id, name=form.name)
        account = await uow.accounts.get(viewer.account_id)
    return JSON(present_featured_tag(row, account.username, origin))


@router.get("/api/v1/featured_tags/suggestions")
@declare(returns=list[Tag])
async def featured_tag_suggestions(request: Request, origin: Origin,
                                   viewer: Viewer = Depends(scoped("read:accounts"))) -> JSON:
    async with uows(request).read() as uow:
        tags = await suggest_featured_tags(uow, account_id=viewer.account_id)
        return JSON(await present_tags(uow, tags, viewer_id=viewer.account_id, origin=origin))


@router.delete("/api/v1/featured_tags/{featured_id}")
@declare(returns=Empty)
async def delete_featured_tag(request: Request, featured_id: str,
                              viewer: Viewer = Depends(scoped("write:accounts"))) -> JSON:
    async with uows(request).write() as uow:
        await unfeature_tag(uow, account_id=viewer.account_id, featured_id=path_id(featured_id))
    return JSON({})


@router.get("/api/v1/accounts/{account_id}/featured_tags")
@declare(returns=list[FeaturedTag])
async def account_featured_tags(request: Request, account_id: str, origin: Origin,
                                viewer: OptionalViewer) -> JSON:
    async with uows(request).read() as uow:
        account = await uow.accounts.get(path_id(account_id))
        if account is None:
            raise NotFound()
        rows = await uow.tags.featured(account.id)
    return JSON([present_featured_tag(row, account.username, origin) for row in rows])
