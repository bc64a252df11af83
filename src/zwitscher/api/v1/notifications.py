"""Notifications: list with type filters, get one, dismiss one, clear all; the v1 policy."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from typing_extensions import TypedDict

from zwitscher.api.deps import Origin, path_id, scoped, uows
from zwitscher.api.operations import Empty, declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Id, Params, parse
from zwitscher.api.presenters.notification_groups import V1Policy, present_v1_policy
from zwitscher.api.presenters.notifications import (
    Notification,
    hidden_notification,
    present_notifications,
)
from zwitscher.api.responses import JSON
from zwitscher.db.repos.notifications import NotificationFilter
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.services.change_notification_policy import change_notification_policy
from zwitscher.services.group_notifications import count_unread
from zwitscher.services.oauth import Viewer

router = APIRouter()


class Count(TypedDict):
    count: int


class NotificationFilters(Params):
    types: list[str] = []
    exclude_types: list[str] = []
    account_id: Id | None = None
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
@declare(returns=list[Notification], takes=NotificationFilters, paged=True)
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
@declare(returns=Count, takes=NotificationFilters, paged=True)
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


class V1PolicyForm(Params):
    filter_not_following: bool | None = None
    filter_not_followers: bool | None = None
    filter_new_accounts: bool | None = None
    filter_private_mentions: bool | None = None

    def changes(self) -> dict[str, str | None]:
        """In v2 words: true holds them back (filter), false lets them through (accept)."""
        return {f"for_{name.removeprefix('filter_')}": None if value is None
                else "filter" if value else "accept"
                for name, value in self.model_dump().items()}


@router.get("/api/v1/notifications/policy")
@declare(returns=V1Policy)
async def get_v1_policy(request: Request,
                        viewer: Viewer = Depends(scoped("read:notifications"))) -> JSON:
    async with uows(request).read() as uow:
        policy = await uow.notification_filters.policy(viewer.account_id)
        pending = await uow.notification_filters.summary(viewer.account_id)
    return JSON(present_v1_policy(policy, pending))


@router.patch("/api/v1/notifications/policy")
@declare(returns=V1Policy, takes=V1PolicyForm)
async def update_v1_policy(request: Request,
                           viewer: Viewer = Depends(scoped("write:notifications"))) -> JSON:
    form = await parse(request, V1PolicyForm)
    async with uows(request).write() as uow:
        policy = await change_notification_policy(uow, account_id=viewer.account_id,
                                                  changes=form.changes())
        pending = await uow.notification_filters.summary(viewer.account_id)
    return JSON(present_v1_policy(policy, pending))


@router.get("/api/v1/notifications/{notification_id}")
@declare(returns=Notification)
async def get_notification(request: Request, notification_id: str, origin: Origin,
                           viewer: Viewer = Depends(scoped("read:notifications"))) -> JSON:
    async with uows(request).read() as uow:
        row = await uow.notifications.get(viewer.account_id, path_id(notification_id))
        if row is None:
            raise NotFound()
        return JSON((await present_notifications(uow, [row], viewer_id=viewer.account_id,
                                                 origin=origin))[0])


@router.post("/api/v1/notifications/clear")
@declare(returns=Empty)
async def clear(request: Request,
                viewer: Viewer = Depends(scoped("write:notifications"))) -> JSON:
    async with uows(request).write() as uow:
        await uow.notifications.clear(viewer.account_id)
    return JSON({})


@router.post("/api/v1/notifications/{notification_id}/dismiss")
@declare(returns=Empty)
async def dismiss(request: Request, notification_id: str,
                  viewer: Viewer = Depends(scoped("write:notifications"))) -> JSON:
    async with uows(request).write() as uow:
        if not await uow.notifications.dismiss(viewer.account_id, path_id(notification_id)):
            raise NotFound()
    return JSON({})
