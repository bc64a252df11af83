"""GroupedNotificationsResults (API v2), NotificationRequest and NotificationPolicy."""

from __future__ import annotations

from typing import NotRequired

import sqlalchemy as sa
from typing_extensions import TypedDict

from zwitscher.api.entities import Account, Status
from zwitscher.api.presenters.accounts import present_account
from zwitscher.api.presenters.common import iso
from zwitscher.api.presenters.custom_emojis import account_emojis
from zwitscher.api.presenters.notifications import present_statuses_by_id
from zwitscher.api.presenters.reports import Report, present_reports_for_notifications
from zwitscher.db.uow import UnitOfWork
from zwitscher.services.group_notifications import GroupedPage


class NotificationGroup(TypedDict):
    group_key: str
    notifications_count: int
    type: str
    most_recent_notification_id: str
    sample_account_ids: list[str]
    page_min_id: NotRequired[str]  # in pages only
    page_max_id: NotRequired[str]
    latest_page_notification_at: NotRequired[str]
    status_id: NotRequired[str]
    report: NotRequired[Report | None]


class GroupedNotifications(TypedDict):
    accounts: list[Account]
    statuses: list[Status]
    notification_groups: list[NotificationGroup]
    partial_accounts: NotRequired[list]


class NotificationRequest(TypedDict):
    id: str
    created_at: str
    updated_at: str
    notifications_count: str
    account: Account
    last_status: NotRequired[Status]


class PolicySummary(TypedDict):
    pending_requests_count: int
    pending_notifications_count: int


class V1Policy(TypedDict):
    filter_not_following: bool
    filter_not_followers: bool
    filter_new_accounts: bool
    filter_private_mentions: bool
    summary: PolicySummary


class Policy(TypedDict):
    """Each condition `accept`, `filter` or `drop`."""

    for_not_following: str
    for_not_followers: str
    for_new_accounts: str
    for_private_mentions: str
    for_limited_accounts: str
    summary: PolicySummary


async def present_grouped(uow: UnitOfWork, grouped: GroupedPage, *, viewer_id: int,
                          origin: str, paginated: bool, partial_accounts: bool) -> dict:
    """Every account is rendered in full; with `expand_accounts=partial_avatars` the
    `partial_accounts` list is there, and empty (Mastodon allows either)."""
    account_ids = {a for key in grouped.samples for a in grouped.samples[key]}
    accounts = await uow.accounts.get_many(account_ids)
    emojis = await account_emojis(uow, accounts.values(), origin)
    latest = [group.latest for group in grouped.groups]
    statuses = await present_statuses_by_id(
        uow, {row.status_id for row in latest if row.status_id}, viewer_id=viewer_id,
        origin=origin)
    reports = await present_reports_for_notifications(
        uow, {row.report_id for row in latest if row.report_id}, origin)
    groups = []
    for group in grouped.groups:
        row = group.latest
        entity = {
            "group_key": group.key,
            "notifications_count": grouped.counts[group.key],
            "type": row.type,
            "most_recent_notification_id": str(grouped.most_recent[group.key]),
            "sample_account_ids": [str(a) for a in grouped.samples[group.key]
                                   if a in accounts],
        }
        if paginated:
            entity |= {"page_min_id": str(group.page_min_id),
                       "page_max_id": str(group.page_max_id),
                       "latest_page_notification_at": iso(row.created_at)}
        if row.status_id is not None:
            entity["status_id"] = str(row.status_id)
        if row.report_id is not None:
            entity["report"] = reports.get(row.report_id)
        groups.append(entity)
    result = {"accounts": [present_account(accounts[a], origin, emojis=emojis)
                           for a in sorted(accounts)],
              "statuses": list(statuses.values()), "notification_groups": groups}
    if partial_accounts:
        result["partial_accounts"] = []
    return result


async def present_requests(uow: UnitOfWork, rows: list[sa.Row], *, viewer_id: int,
                           origin: str) -> list[dict]:
    accounts = await uow.accounts.get_many({row.from_account_id for row in rows})
    emojis = await account_emojis(uow, accounts.values(), origin)
    statuses = await present_statuses_by_id(
        uow, {row.last_status_id for row in rows if row.last_status_id}, viewer_id=viewer_id,
        origin=origin)
    result = []
    for row in rows:
        if row.from_account_id not in accounts:
            continue
        entity = {
            "id": str(row.id),
            "created_at": iso(row.created_at),
            "updated_at": iso(row.updated_at),
            # A string in Mastodon's serializer.
            "notifications_count": str(row.notifications_count),
            "account": present_account(accounts[row.from_account_id], origin, emojis=emojis),
        }
        if row.last_status_id in statuses:
            entity["last_status"] = statuses[row.last_status_id]
        result.append(entity)
    return result


# The conditions the v1 policy has (it predates "limited accounts").
V1_CONDITIONS = ("for_not_following", "for_not_followers", "for_new_accounts",
                 "for_private_mentions")


def present_v1_policy(policy: dict[str, str], pending: tuple[int, int]) -> dict:
    """The v1 policy's booleans: true where notifications are held back (filtered or
    dropped), as Mastodon shows a v2 policy to v1 clients."""
    requests, held = pending
    return {f"filter_{condition.removeprefix('for_')}": policy[condition] != "accept"
            for condition in V1_CONDITIONS} | {
        "summary": {"pending_requests_count": requests, "pending_notifications_count": held}}


def present_policy(policy: dict[str, str], pending: tuple[int, int]) -> dict:
    requests, held = pending
    return policy | {"summary": {"pending_requests_count": requests,
                                 "pending_notifications_count": held}}
