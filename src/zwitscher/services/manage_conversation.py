"""A participant marks their conversation read or removes it from their list; nobody else's
view of it changes."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound


async def _own(uow: UnitOfWork, account_id: int, conversation_id: int) -> sa.Row:
    row = await uow.conversations.get_own(conversation_id, account_id)
    if row is None:
        raise NotFound()
    return row


async def mark_conversation_read(uow: UnitOfWork, *, account_id: int,
                                 conversation_id: int) -> sa.Row:
    row = await _own(uow, account_id, conversation_id)
    await uow.conversations.update(row.id, unread=False)
    return await uow.conversations.get_own(row.id, account_id)


async def remove_conversation(uow: UnitOfWork, *, account_id: int,
                              conversation_id: int) -> None:
    """It comes back when someone writes in it again, as in Mastodon."""
    row = await _own(uow, account_id, conversation_id)
    await uow.conversations.delete(row.id)
