"""The profile directory: people who chose to be listed (`discoverable`) and brand accounts,
the most recently active or the newest first (as `GET /api/v1/directory` lists them)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import ValidationFailed

ORDERS = ("active", "new")
# Deeper than this, paging is no longer browsing (the API stops at the same offset).
MAX_OFFSET = 10_000


async def list_directory(uow: UnitOfWork, *, order: str, offset: int,
                         limit: int) -> list[sa.Row]:
    if order not in ORDERS:
        raise ValidationFailed("order must be active or new")
    return await uow.trends.directory(order=order, limit=max(1, limit),
                                      offset=min(max(offset, 0), MAX_OFFSET))
