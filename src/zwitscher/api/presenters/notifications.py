from __future__ import annotations

from typing import NotRequired

import sqlalchemy as sa
from typing_extensions import TypedDict

from zwitscher.api.entities import Account, Status
from zwitscher.api.presenters.accounts import present_account
from zwitscher.api.presenters.common import iso
from zwitscher.api.presenters.custom_emojis import account_emojis
from zwitscher.api.presenters.reports import Report, present_reports_for_notifications
from zwitscher.api.presenters.statuses import hidden_by_filter, present_statuses
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.notification_groups import UNGROUPED


class Notification(TypedDict):
    id: str
    type: str
    group_key: str
    created_at: str
    account: Account
    status: Status | None
    report: NotRequired[Report | None]  # on `admin.report` notifications


async def present_statuses_by_id(uow: UnitOfWork, status_ids: set[int], *, viewer_id: int,
                                 origin: str) -> dict[int, dict]:
    status_rows = await uow.statuses.get_many(status_ids)
    ordered = list(status_rows.values())
    return dict(zip([s.id for s in ordered],
                    await present_statuses(uow, ordered, viewer_id=viewer_id, origin=origin,
                                           filter_context="notifications"),
                    strict=True))


async def present_notifications(uow: UnitOfWork, rows: list[sa.Row], *, viewer_id: int,
                                origin: str) -> list[dict]:
    accounts = await uow.accounts.get_many({row.from_account_id for row in rows})
    emojis = await account_emojis(uow, accounts.values(), origin)
    statuses = await present_statuses_by_id(
        uow, {row.status_id for row in rows if row.status_id}, viewer_id=viewer_id,
        origin=origin)
    reports = await present_reports_for_notifications(
        uow, {row.report_id for row in rows if row.report_id}, origin)
    result = []
    for row in rows:
        if row.from_account_id not in accounts:
            continue
        entity = {
            "id": str(row.id),
            "type": row.type,
            # The key grouped notifications use; the same here and on streams (as Mastodon).
            "group_key": row.group_key or f"{UNGROUPED}{row.id}",
            "created_at": iso(row.created_at),
            "account": present_account(accounts[row.from_account_id], origin, emojis=emojis),
            "status": statuses.get(row.status_id) if row.status_id else None,
        }
        if row.report_id is not None:
            entity["report"] = reports.get(row.report_id)
        result.append(entity)
    return result


def hidden_notification(entity: dict) -> bool:
    """About a status one of the viewer's `hide` filters for notifications matches: the
    notifications list and stream leave it out."""
    return entity["status"] is not None and hidden_by_filter(entity["status"])
