"""Announcements as everyone signed in sees them: read, dismiss, react."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from zwitscher.api.deps import Origin, path_id, scoped, uows
from zwitscher.api.operations import Empty, declare
from zwitscher.api.presenters.announcements import Announcement, present_announcements
from zwitscher.api.responses import JSON
from zwitscher.domain.clock import utcnow
from zwitscher.services.oauth import Viewer
from zwitscher.services.react_to_announcement import (
    dismiss_announcement,
    react_to_announcement,
    withdraw_reaction,
)

router = APIRouter()


@router.get("/api/v1/announcements")
@declare(returns=list[Announcement])
async def announcements(request: Request, origin: Origin,
                        viewer: Viewer = Depends(scoped("read:accounts"))) -> JSON:
    async with uows(request).read() as uow:
        rows = await uow.announcements.active(utcnow())
        return JSON(await present_announcements(uow, rows, viewer_id=viewer.account_id,
                                                origin=origin))


@router.post("/api/v1/announcements/{announcement_id}/dismiss")
@declare(returns=Empty)
async def dismiss(request: Request, announcement_id: str,
                  viewer: Viewer = Depends(scoped("write:accounts"))) -> JSON:
    async with uows(request).write() as uow:
        await dismiss_announcement(uow, account_id=viewer.account_id,
                                   announcement_id=path_id(announcement_id))
    return JSON({})


@router.put("/api/v1/announcements/{announcement_id}/reactions/{name}")
@declare(returns=Empty)
async def react(request: Request, announcement_id: str, name: str,
                viewer: Viewer = Depends(scoped("write:favourites"))) -> JSON:
    async with uows(request).write() as uow:
        await react_to_announcement(uow, account_id=viewer.account_id,
                                    announcement_id=path_id(announcement_id), name=name)
    return JSON({})


@router.delete("/api/v1/announcements/{announcement_id}/reactions/{name}")
@declare(returns=Empty)
async def unreact(request: Request, announcement_id: str, name: str,
                  viewer: Viewer = Depends(scoped("write:favourites"))) -> JSON:
    async with uows(request).write() as uow:
        await withdraw_reaction(uow, account_id=viewer.account_id,
                                announcement_id=path_id(announcement_id), name=name)
    return JSON({})
