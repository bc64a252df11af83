from __future__ import annotations

import sqlalchemy as sa

from zwitscher.api.presenters.accounts import present_account
from zwitscher.api.presenters.common import iso
from zwitscher.api.presenters.statuses import hidden_by_filter, present_statuses
from zwitscher.db.uow import UnitOfWork


async def present_notifications(uow: UnitOfWork, rows: list[sa.Row], *, viewer_id: int,
                                origin: str) -> list[dict]:
    accounts = await uow.accounts.get_many({row.from_account_id for row in rows})
    status_rows = await uow.statuses.get_many({row.status_id for row in rows if row.status_id})
    ordered = list(status_rows.values())
    statuses = dict(zip([s.id for s in ordered],
                        await present_statuses(uow, ordered, viewer_id=viewer_id, origin=origin,
                                               filter_context="notifications"),
                        strict=True))
    result = []
    for row in rows:
        if row.from_account_id not in accounts:
            continue
        result.append({
            "id": str(row.id),
            "type": row.type,
            "group_key": f"ungrouped-{row.id}",
            "created_at": iso(row.created_at),
            "account": present_account(accounts[row.from_account_id], origin),
            "status": statuses.get(row.status_id) if row.status_id else None,
        })
    return result


def hidden_notification(entity: dict) -> bool:
    """About a status one of the viewer's `hide` filters for notifications matches: the
    notifications list and stream leave it out."""
    return entity["status"] is not None and hidden_by_filter(entity["status"])
