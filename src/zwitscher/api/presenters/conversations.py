"""The Conversation entity, as one participant sees it."""

from __future__ import annotations

import sqlalchemy as sa
from typing_extensions import TypedDict

from zwitscher.api.entities import Account, Status
from zwitscher.api.presenters.accounts import present_account
from zwitscher.api.presenters.custom_emojis import account_emojis
from zwitscher.api.presenters.statuses import present_statuses
from zwitscher.db.uow import UnitOfWork


class Conversation(TypedDict):
    id: str
    unread: bool
    accounts: list[Account]
    last_status: Status | None


async def present_conversations(uow: UnitOfWork, rows: list[sa.Row], *, viewer_id: int,
                                origin: str) -> list[Conversation]:
    """`rows` are the viewer's own, read with their last statuses visible to them."""
    if not rows:
        return []
    statuses = await uow.statuses.get_many({row.last_status_id for row in rows})
    shown = [statuses[row.last_status_id] for row in rows if row.last_status_id in statuses]
    entities = {int(entity["id"]): entity for entity in
                await present_statuses(uow, shown, viewer_id=viewer_id, origin=origin)}
    accounts = await uow.accounts.get_many(
        {a for row in rows for a in row.participant_ids} | {viewer_id})
    emojis = await account_emojis(uow, accounts.values(), origin)
    presented = []
    for row in rows:
        others = [a for a in row.participant_ids if a != viewer_id and a in accounts]
        # As Mastodon: a conversation with oneself shows oneself.
        people = others or [viewer_id]
        presented.append({
            "id": str(row.id),
            "unread": row.unread,
            "accounts": [present_account(accounts[a], origin, emojis=emojis)
                         for a in people],
            "last_status": entities.get(row.last_status_id),
        })
    return presented
