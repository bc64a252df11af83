"""Legal holds (`policies/legal_holds.py` has the rules): the cases, the direct messages a
case concerns, and the accounts deletion must leave alone."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import legal_holds, mentions, statuses
from zwitscher.domain.ids import new_id
from zwitscher.domain.visibility import Visibility
from zwitscher.policies.legal_holds import PENDING, held_accounts


class LegalHoldsRepo(Repo):
    async def add(self, **values) -> int:
        hold_id = new_id()
        await self.conn.execute(legal_holds.insert().values(id=hold_id, **values))
        return hold_id

    async def get(self, hold_id: int) -> sa.Row | None:
        return await self.one(legal_holds.select().where(legal_holds.c.id == hold_id))

    async def update(self, hold_id: int, **values) -> None:
        await self.conn.execute(legal_holds.update().where(legal_holds.c.id == hold_id)
                                .values(**values))

    async def page(self, page: Page) -> list[sa.Row]:
        """Cases newest first."""
        query = apply_page(legal_holds.select(), legal_holds.c.id, page)
        return newest_first(await self.all(query), page)

    async def count_pending(self, *, except_opened_by: int | None) -> int:
        """Cases waiting for a decision that this person could make (not their own)."""
        query = sa.select(sa.func.count()).where(legal_holds.c.state == PENDING)
        if except_opened_by is not None:
            query = query.where(sa.or_(legal_holds.c.opened_by_id.is_(None),
                                       legal_holds.c.opened_by_id != except_opened_by))
        return await self.scalar(query)

    async def held_account_ids(self) -> set[int]:
        """The accounts under a hold in force now. Deleting an account (at the person's request
        or when a grace period ends) asks this first and leaves these alone; the retention
        policies skip statuses with `policies.legal_holds.held_status`."""
        return set(await self.scalars(held_accounts()))

    async def direct_messages(self, hold: sa.Row, page: Page) -> list[int]:
        """Ids of the direct messages the person under `hold` wrote or received within its
        time range, newest first."""
        received = sa.exists().where(mentions.c.status_id == statuses.c.id,
                                     mentions.c.account_id == hold.account_id)
        query = sa.select(statuses.c.id).where(
            statuses.c.visibility == Visibility.DIRECT.value,
            statuses.c.created_at >= hold.messages_from,
            statuses.c.created_at < hold.messages_until,
            sa.or_(statuses.c.account_id == hold.account_id, received))
        return newest_first(await self.scalars(apply_page(query, statuses.c.id, page)), page)
