"""Follow, block and mute, follow requests, the lists of blocked and muted accounts, removing
followers, and private notes on accounts."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from zwitscher.api.deps import Origin, path_id, scoped, uows
from zwitscher.api.entities import Account
from zwitscher.api.operations import declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Params, parse
from zwitscher.api.presenters.accounts import (
    Relationship,
    present_account_rows,
    present_relationships,
)
from zwitscher.api.presenters.common import iso
from zwitscher.api.responses import JSON
from zwitscher.services.block_account import block_account, unblock_account
from zwitscher.services.follow_account import (
    authorize_follow_request,
    follow_account,
    reject_follow_request,
    unfollow_account,
)
from zwitscher.services.mute_account import mute_account, unmute_account
from zwitscher.services.oauth import Viewer
from zwitscher.services.remove_follower import remove_follower
from zwitscher.services.write_account_note import write_account_note

router = APIRouter()


class FollowOptions(Params):
    # None = not sent: an existing follow keeps that option (see follow_account).
    reblogs: bool | None = None
    notify: bool | None = None


class MuteOptions(Params):
    notifications: bool = True
    duration: int = 0


class MutedAccount(Account):
    mute_expires_at: str | None


class AccountNote(Params):
    comment: str | None = None  # None or blank: no note


async def _relationship(uow, viewer: Viewer, target_id: int) -> JSON:
    return JSON((await present_relationships(uow, viewer.account_id, [target_id]))[0])


@router.post("/api/v1/accounts/{account_id}/follow")
@declare(returns=Relationship, takes=FollowOptions)
async def follow(request: Request, account_id: str,
                 viewer: Viewer = Depends(scoped("write:follows"))) -> JSON:
    options = await parse(request, FollowOptions)
    target_id = path_id(account_id)
    async with uows(request).write() as uow:
        await follow_account(uow, account_id=viewer.account_id, target_id=target_id,
                             reblogs=options.reblogs, notify_on_post=options.notify)
        return await _relationship(uow, viewer, target_id)


@router.post("/api/v1/accounts/{account_id}/unfollow")
@declare(returns=Relationship)
async def unfollow(request: Request, account_id: str,
                   viewer: Viewer = Depends(scoped("write:follows"))) -> JSON:
    target_id = path_id(account_id)
    async with uows(request).write() as uow:
        await unfollow_account(uow, account_id=viewer.account_id, target_id=target_id)
        return await _relationship(uow, viewer, target_id)


@router.post("/api/v1/accounts/{account_id}/block")
@declare(returns=Relationship)
async def block(request: Request, account_id: str,
                viewer: Viewer = Depends(scoped("write:blocks"))) -> JSON:
    target_id = path_id(account_id)
    async with uows(request).write() as uow:
        await block_account(uow, account_id=viewer.account_id, target_id=target_id)
        return await _relationship(uow, viewer, target_id)


@router.post("/api/v1/accounts/{account_id}/unblock")
@declare(returns=Relationship)
async def unblock(request: Request, account_id: str,
                  viewer: Viewer = Depends(scoped("write:blocks"))) -> JSON:
    target_id = path_id(account_id)
    async with uows(request).write() as uow:
        await unblock_account(uow, account_id=viewer.account_id, target_id=target_id)
        return await _relationship(uow, viewer, target_id)


@router.post("/api/v1/accounts/{account_id}/mute")
@declare(returns=Relationship, takes=MuteOptions)
async def mute(request: Request, account_id: str,
               viewer: Viewer = Depends(scoped("write:mutes"))) -> JSON:
    options = await parse(request, MuteOptions)
    target_id = path_id(account_id)
    async with uows(request).write() as uow:
        await mute_account(uow, account_id=viewer.account_id, target_id=target_id,
                           notifications=options.notifications,
                           duration_seconds=options.duration)
        return await _relationship(uow, viewer, target_id)


@router.post("/api/v1/accounts/{account_id}/unmute")
@declare(returns=Relationship)
async def unmute(request: Request, account_id: str,
                 viewer: Viewer = Depends(scoped("write:mutes"))) -> JSON:
    target_id = path_id(account_id)
    async with uows(request).write() as uow:
        await unmute_account(uow, account_id=viewer.account_id, target_id=target_id)
        return await _relationship(uow, viewer, target_id)


@router.post("/api/v1/accounts/{account_id}/remove_from_followers")
@declare(returns=Relationship)
async def remove_from_followers(request: Request, account_id: str,
                                viewer: Viewer = Depends(scoped("write:follows"))) -> JSON:
    follower_id = path_id(account_id)
    async with uows(request).write() as uow:
        await remove_follower(uow, account_id=viewer.account_id, follower_id=follower_id)
        return await _relationship(uow, viewer, follower_id)


@router.post("/api/v1/accounts/{account_id}/note")
@declare(returns=Relationship, takes=AccountNote)
async def note(request: Request, account_id: str,
               viewer: Viewer = Depends(scoped("write:accounts"))) -> JSON:
    written = await parse(request, AccountNote)
    target_id = path_id(account_id)
    async with uows(request).write() as uow:
        await write_account_note(uow, account_id=viewer.account_id, target_id=target_id,
                                 comment=written.comment)
        return await _relationship(uow, viewer, target_id)


async def _account_list(request: Request, origin: str, viewer: Viewer, which: str) -> JSON:
    page = page_from(request, default=40, maximum=80)
    async with uows(request).read() as uow:
        lister = {"blocks": uow.relationships.blocks_of, "mutes": uow.relationships.mutes_of,
                  "requests": uow.relationships.follow_requests_for}[which]
        rows = await lister(viewer.account_id, page)
        entities = await present_account_rows(uow, [row for _, row in rows], origin)
    if which == "mutes":
        for entity, (_, row) in zip(entities, rows, strict=True):
            entity["mute_expires_at"] = iso(row.mute_expires_at)
    response = JSON(entities)
    link_header(request, response, [page_id for page_id, _ in rows])
    return response


@router.get("/api/v1/blocks")
@declare(returns=list[Account], paged=True)
async def blocks(request: Request, origin: Origin,
                 viewer: Viewer = Depends(scoped("read:blocks"))) -> JSON:
    return await _account_list(request, origin, viewer, "blocks")


@router.get("/api/v1/mutes")
@declare(returns=list[MutedAccount], paged=True)
async def mutes(request: Request, origin: Origin,
                viewer: Viewer = Depends(scoped("read:mutes"))) -> JSON:
    return await _account_list(request, origin, viewer, "mutes")


@router.get("/api/v1/follow_requests")
@declare(returns=list[Account], paged=True)
async def follow_requests(request: Request, origin: Origin,
                          viewer: Viewer = Depends(scoped("read:follows"))) -> JSON:
    return await _account_list(request, origin, viewer, "requests")


@router.post("/api/v1/follow_requests/{account_id}/authorize")
@declare(returns=Relationship)
async def authorize(request: Request, account_id: str,
                    viewer: Viewer = Depends(scoped("write:follows"))) -> JSON:
    requester_id = path_id(account_id)
    async with uows(request).write() as uow:
        await authorize_follow_request(uow, account_id=viewer.account_id,
                                       requester_id=requester_id)
        return await _relationship(uow, viewer, requester_id)


@router.post("/api/v1/follow_requests/{account_id}/reject")
@declare(returns=Relationship)
async def reject(request: Request, account_id: str,
                 viewer: Viewer = Depends(scoped("write:follows"))) -> JSON:
    requester_id = path_id(account_id)
    async with uows(request).write() as uow:
        await reject_follow_request(uow, account_id=viewer.account_id,
                                    requester_id=requester_id)
        return await _relationship(uow, viewer, requester_id)
