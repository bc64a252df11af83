"""Grouped notifications (Mastodon 4.3's API v2) and the notification policy."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from zwitscher.api.deps import Origin, scoped, uows
from zwitscher.api.entities import Account
from zwitscher.api.operations import Empty, declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Id, Params, parse
from zwitscher.api.presenters.accounts import present_accounts
from zwitscher.api.presenters.notification_groups import (
    GroupedNotifications,
    Policy,
    present_grouped,
    present_policy,
)
from zwitscher.api.responses import JSON
from zwitscher.api.v1.notifications import Count
from zwitscher.db.repos.notifications import NotificationFilter
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.domain.notification_groups import GROUPABLE_TYPES
from zwitscher.services.change_notification_policy import change_notification_policy
from zwitscher.services.group_notifications import (
    count_unread,
    dismiss_group,
    group_account_ids,
    grouped_notifications,
    notification_group,
)
from zwitscher.services.oauth import Viewer

router = APIRouter(prefix="/api/v2/notifications")
MAX_TYPES = 20
MAX_KEY = 120


class GroupedFilters(Params):
    types: list[str] = []
    exclude_types: list[str] = []
    account_id: Id | None = None
    grouped_types: list[str] | None = None
    include_filtered: bool = False
    expand_accounts: str = "full"

    def filter(self) -> NotificationFilter:
        sender = None
        if self.account_id not in (None, ""):
            sender = parse_id(self.account_id)
            if sender is None:
                raise ValidationFailed("account_id is not a valid id")
        return NotificationFilter(types=self.types[:MAX_TYPES],
                                  exclude_types=self.exclude_types[:MAX_TYPES],
                                  from_account_id=sender,
                                  include_filtered=self.include_filtered)

    def grouping(self) -> frozenset[str]:
        if self.grouped_types is None:
            return GROUPABLE_TYPES
        return GROUPABLE_TYPES & frozenset(self.grouped_types[:MAX_TYPES])


class PolicyForm(Params):
    for_not_following: str | None = None
    for_not_followers: str | None = None
    for_new_accounts: str | None = None
    for_private_mentions: str | None = None
    for_limited_accounts: str | None = None


def _key(raw: str) -> str:
    if len(raw) > MAX_KEY:
        raise ValidationFailed("Not a group key")
    return raw


@router.get("")
@declare(returns=GroupedNotifications, takes=GroupedFilters, paged=True)
async def list_grouped(request: Request, origin: Origin,
                       viewer: Viewer = Depends(scoped("read:notifications"))) -> JSON:
    params = await parse(request, GroupedFilters)
    if params.expand_accounts not in ("full", "partial_avatars"):
        raise ValidationFailed("expand_accounts must be full or partial_avatars")
    page = page_from(request, default=40, maximum=80)
    async with uows(request).read() as uow:
        grouped = await grouped_notifications(uow, viewer_id=viewer.account_id, page=page,
                                              what=params.filter(),
                                              grouped_types=params.grouping())
        response = JSON(await present_grouped(
            uow, grouped, viewer_id=viewer.account_id, origin=origin, paginated=True,
            partial_accounts=params.expand_accounts == "partial_avatars"))
    link_header(request, response, grouped.bounds)
    return response


@router.get("/unread_count")
@declare(returns=Count, takes=GroupedFilters, paged=True)
async def unread_count(request: Request,
                       viewer: Viewer = Depends(scoped("read:notifications"))) -> JSON:
    params = await parse(request, GroupedFilters)
    limit = page_from(request, default=100, maximum=1000).limit
    async with uows(request).read() as uow:
        count = await count_unread(uow, viewer_id=viewer.account_id,
                                         what=params.filter(), grouped_types=params.grouping(),
                                         limit=limit)
    return JSON({"count": count})


@router.get("/policy")
@declare(returns=Policy)
async def get_policy(request: Request,
                     viewer: Viewer = Depends(scoped("read:notifications"))) -> JSON:
    async with uows(request).read() as uow:
        policy = await uow.notification_filters.policy(viewer.account_id)
        pending = await uow.notification_filters.summary(viewer.account_id)
    return JSON(present_policy(policy, pending))


@router.patch("/policy")
@declare(returns=Policy, takes=PolicyForm)
async def update_policy(request: Request,
                        viewer: Viewer = Depends(scoped("write:notifications"))) -> JSON:
    form = await parse(request, PolicyForm)
    async with uows(request).write() as uow:
        policy = await change_notification_policy(uow, account_id=viewer.account_id,
                                                  changes=form.model_dump())
        pending = await uow.notification_filters.summary(viewer.account_id)
    return JSON(present_policy(policy, pending))


@router.get("/{group_key}")
@declare(returns=GroupedNotifications)
async def get_group(request: Request, group_key: str, origin: Origin,
                    viewer: Viewer = Depends(scoped("read:notifications"))) -> JSON:
    async with uows(request).read() as uow:
        grouped = await notification_group(uow, viewer_id=viewer.account_id,
                                           key=_key(group_key))
        return JSON(await present_grouped(uow, grouped, viewer_id=viewer.account_id,
                                          origin=origin, paginated=False,
                                          partial_accounts=False))


@router.get("/{group_key}/accounts")
@declare(returns=list[Account], paged=True)
async def group_accounts(request: Request, group_key: str, origin: Origin,
                         viewer: Viewer = Depends(scoped("read:notifications"))) -> JSON:
    page = page_from(request, default=40, maximum=80)
    async with uows(request).read() as uow:
        account_ids, read_ids = await group_account_ids(uow, viewer_id=viewer.account_id,
                                                        key=_key(group_key), page=page)
        response = JSON(await present_accounts(uow, account_ids, origin))
    link_header(request, response, read_ids)
    return response


@router.post("/{group_key}/dismiss")
@declare(returns=Empty)
async def dismiss(request: Request, group_key: str,
                  viewer: Viewer = Depends(scoped("write:notifications"))) -> JSON:
    async with uows(request).write() as uow:
        await dismiss_group(uow, viewer_id=viewer.account_id, key=_key(group_key))
    return JSON({})
