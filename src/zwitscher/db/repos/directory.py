"""The whole directory at once, for bulk import and export: every person, every membership.

Organisations have thousands of people and hundreds of groups, so reading all of it in a few
queries and writing in batches beats a query per row by orders of magnitude.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import accounts, group_members, users
from zwitscher.domain.clock import utcnow

BATCH = 1000


class DirectoryRepo(Repo):
    async def people(self) -> list[sa.Row]:
        """Every person: their account and their login, one row each."""
        return await self.all(
            sa.select(accounts.c.id.label("account_id"), accounts.c.username,
                      accounts.c.display_name, users.c.id.label("user_id"), users.c.email,
                      users.c.role, users.c.external_id, users.c.disabled)
            .join(users, users.c.account_id == accounts.c.id).order_by(accounts.c.username_lower))

    async def memberships(self) -> list[sa.Row]:
        return await self.all(sa.select(group_members.c.group_id, group_members.c.account_id))

    async def create_people(self, people: list[dict], *, password_hash: str) -> None:
        """Each dict: account_id, user_id, username, display_name, email, role, external_id."""
        now = utcnow()
        for start in range(0, len(people), BATCH):
            batch = people[start:start + BATCH]
            await self.conn.execute(accounts.insert(), [dict(
                id=p["account_id"], username=p["username"],
                username_lower=p["username"].lower(), display_name=p["display_name"],
                fields=[], created_at=now, updated_at=now) for p in batch])
            await self.conn.execute(users.insert(), [dict(
                id=p["user_id"], account_id=p["account_id"], email=p["email"],
                email_lower=p["email"].lower(), password_hash=password_hash, role=p["role"],
                approved=True, external_id=p["external_id"], created_at=now) for p in batch])

    async def add_memberships(self, pairs: list[tuple[int, int]]) -> None:
        """(group_id, account_id) pairs, each as a plain member."""
        now = utcnow()
        for start in range(0, len(pairs), BATCH):
            await self.insert_ignoring_conflicts(group_members, [
                dict(group_id=g, account_id=a, role="member", created_at=now)
                for g, a in pairs[start:start + BATCH]])
