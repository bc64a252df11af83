"""Endorsements: accounts a person recommends on their profile (Mastodon's account pins)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import accounts, endorsements
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id


class EndorsementsRepo(Repo):
    async def add(self, *, account_id: int, target_id: int) -> bool:
        return bool(await self.insert_ignoring_conflicts(endorsements, [dict(
            id=new_id(), account_id=account_id, target_account_id=target_id,
            created_at=utcnow())]))

    async def remove(self, *, account_id: int, target_id: int) -> bool:
        result = await self.conn.execute(endorsements.delete().where(
            endorsements.c.account_id == account_id,
            endorsements.c.target_account_id == target_id))
        return result.rowcount > 0

    async def endorsed_among(self, account_id: int, target_ids: list[int]) -> set[int]:
        if not target_ids:
            return set()
        return set(await self.scalars(sa.select(endorsements.c.target_account_id).where(
            endorsements.c.account_id == account_id,
            endorsements.c.target_account_id.in_(target_ids))))

    async def endorsed_by(self, account_id: int, page: Page) -> list[tuple[int, sa.Row]]:
        """(endorsement id, account) the account endorses, newest first."""
        query = (sa.select(endorsements.c.id.label("page_id"), accounts)
                 .join(accounts, accounts.c.id == endorsements.c.target_account_id)
                 .where(endorsements.c.account_id == account_id))
        rows = newest_first(await self.all(apply_page(query, endorsements.c.id, page)), page)
        return [(row.page_id, row) for row in rows]
