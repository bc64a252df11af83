"""A list is its owner's alone: anyone else is told it does not exist."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound


async def own_list(uow: UnitOfWork, *, account_id: int, list_id: int) -> sa.Row:
    found = await uow.lists.get(list_id)
    if found is None or found.account_id != account_id:
        raise NotFound()
    return found
