"""Domains a person blocks (Mastodon's user-level domain blocks)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import domain_blocks, follow_requests, follows
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id
from zwitscher.policies.visibility import domain_blocked_accounts


class DomainBlocksRepo(Repo):
    async def add(self, *, account_id: int, domain: str) -> bool:
        return bool(await self.insert_ignoring_conflicts(domain_blocks, [dict(
            id=new_id(), account_id=account_id, domain=domain, created_at=utcnow())]))

    async def remove(self, *, account_id: int, domain: str) -> None:
        await self.conn.execute(domain_blocks.delete().where(
            domain_blocks.c.account_id == account_id, domain_blocks.c.domain == domain))

    async def page(self, account_id: int, page: Page) -> list[sa.Row]:
        query = domain_blocks.select().where(domain_blocks.c.account_id == account_id)
        return newest_first(await self.all(apply_page(query, domain_blocks.c.id, page)), page)

    async def followers_on_blocked_domains(self, account_id: int) -> list[int]:
        """Followers (and would-be followers) of the account from domains it blocks."""
        blocked = domain_blocked_accounts(account_id)
        return list(await self.scalars(sa.union(
            sa.select(follows.c.account_id).where(follows.c.target_account_id == account_id,
                                                  follows.c.account_id.in_(blocked)),
            sa.select(follow_requests.c.account_id).where(
                follow_requests.c.target_account_id == account_id,
                follow_requests.c.account_id.in_(blocked)))))
