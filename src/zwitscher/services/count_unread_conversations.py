"""How many of a person's direct conversations have something they have not read (the
navigation's badge; capped, as the badge says "99+")."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork


async def count_unread_conversations(uow: UnitOfWork, *, viewer_id: int, limit: int) -> int:
    return await uow.conversations.count_unread(viewer_id, limit=limit)
