"""Notifications: list with type filters, get one, dismiss one, clear all."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from zwitscher.api.deps import Origin, path_id, scoped, uows
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Params, parse
from zwitscher.api.presenters.notifications import hidden_notification, present_notifications
from zwitscher.api.responses import JSON
from zwitscher.db.repos.notifications import NotificationFilter
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.services.group_notifications import count_unread
from zwitscher.services.oauth import Viewer

router = APIRouter()


class NotificationFilters(Params):
    types: list[str] = []
    exclude_types: list[str] = []
    account_id: str | None = None
    include_filtered: bool = False

    def filter(self) -> NotificationFilter:
        sender = None
        if self.account_id not in (None, ""):
            sender = parse_id(self.account_id)
            if sender is None:
                raise ValidationFailed("account_id is not a valid id")
        return NotificationFilter(types=self.types[:20], exclude_types=self.exclude_types[:20],
                                  from_account_id=sender, include_filtered=self.include_filtered)


@router.get("/api/v1/notifications")
async def list_notifications(request: Request, origin: Origin,
                             viewer: Viewer = Depends(scoped("read:notifications"))) -> JSON:
    filters = await parse(request, NotificationFilters)
    page = page_from(request, default=40, maximum=80)
    async with uows(request).read() as uow:
        rows = await uow.notifications.page(viewer.account_id, page, filters.filter())
        entities = await present_notifications(uow, rows, viewer_id=viewer.account_id,
                                               origin=origin)
    response = JSON([entity for entity in entities if not hidden_notification(entity)])
    link_header(request, response, [row.id for row in rows])
    return response


@router.get("/api/v1/notifications/unread_count")
async def unread_count(request: Request,
                       viewer: Viewer = Depends(scoped("read:notifications"))) -> JSON:
    """Notifications newer than the notifications marker (all of them without one)."""
    filters = await parse(request, NotificationFilters)
    limit = page_from(request, default=100, maximum=1000).limit
    async with uows(request).read() as uow:
        count = await count_unread(uow, viewer_id=viewer.account_id,
                                         what=filters.filter(), grouped_types=None,
                                         limit=limit)
    return JSON({"count": count})


@router.get("/api/v1/notifications/{notification_id}")
async def get_notification(request: Request, notification_id: str, origin: Origin,
                           viewer: Viewer = Depends(scoped("read:notifications"))) -> JSON:
    async with uows(request).read() as uow:
        row = await uow.notifications.get(viewer.account_id, path_id(notification_id))
        if row is None:
            raise NotFound()
        return JSON((await present_notifications(uow, [row], viewer_id=viewer.account_id,
                                                 origin=origin))[0])


@router.post("/api/v1/notifications/clear")
async def clear(request: Request,
                viewer: Viewer = Depends(scoped("write:notifications"))) -> JSON:
    async with uows(request).write() as uow:
        await uow.notifications.clear(viewer.account_id)
    return JSON({})


@router.post("/api/v1/notifications/{notification_id}/dismiss")
async def dismiss(request: Request, notification_id: str,
                  viewer: Viewer = Depends(scoped("write:notifications"))) -> JSON:
    async with uows(request).write() as uow:
        if not await uow.notifications.dismiss(viewer.account_id, path_id(notification_id)):
            raise NotFound()
    return JSON({})
