"""Journalists' accreditations (`policies/press.py` has the states and who decides): the
requests, the press groups each names or was let into, and the queue of the press desk."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import (
    accounts,
    groups,
    press_accreditation_groups,
    press_accreditations,
    users,
)
from zwitscher.domain.ids import new_id
from zwitscher.policies.press import PENDING, UNCONFIRMED

_table = press_accreditations
_groups = press_accreditation_groups


class PressAccreditationsRepo(Repo):
    async def add(self, **values) -> int:
        accreditation_id = new_id()
        await self.conn.execute(_table.insert().values(
            id=accreditation_id, email_lower=values["email"].lower(), **values))
        return accreditation_id

    async def get(self, accreditation_id: int) -> sa.Row | None:
        return await self.one(_table.select().where(_table.c.id == accreditation_id))

    async def update(self, accreditation_id: int, **values) -> None:
        await self.conn.execute(_table.update().where(_table.c.id == accreditation_id)
                                .values(**values))

    async def delete(self, accreditation_id: int) -> None:
        await self.conn.execute(_table.delete().where(_table.c.id == accreditation_id))

    async def by_token(self, token_digest: str) -> sa.Row | None:
        return await self.one(_table.select().where(_table.c.token_digest == token_digest))

    async def of_address(self, email: str, state: str) -> sa.Row | None:
        """The newest accreditation of an address in this state."""
        return await self.one(_table.select().where(
            _table.c.email_lower == email.lower(), _table.c.state == state)
            .order_by(_table.c.id.desc()).limit(1))

    async def delete_unconfirmed(self, *, email: str | None = None,
                                 created_before: datetime | None = None) -> None:
        """Requests whose address never followed its link: those of `email` (a new request
        replaces them), or those older than their link."""
        query = _table.delete().where(_table.c.state == UNCONFIRMED)
        if email is not None:
            query = query.where(_table.c.email_lower == email.lower())
        if created_before is not None:
            query = query.where(_table.c.created_at < created_before)
        await self.conn.execute(query)

    async def page(self, page: Page, *, states: Collection[str]) -> list[sa.Row]:
        """Those in these states, newest first."""
        query = _table.select().where(_table.c.state.in_(list(states)))
        return newest_first(await self.all(apply_page(query, _table.c.id, page)), page)

    async def queue(self, *, limit: int) -> list[sa.Row]:
        """The requests waiting for a decision, oldest first."""
        return await self.all(_table.select().where(_table.c.state == PENDING)
                              .order_by(_table.c.id).limit(limit))

    async def count_pending(self) -> int:
        return await self.scalar(sa.select(sa.func.count()).where(_table.c.state == PENDING))

    # The press groups of each.

    async def add_groups(self, accreditation_id: int, group_ids: list[int], *,
                         requested: bool = False, granted: bool = False) -> None:
        """Name these groups on the accreditation (again: marks are only ever added)."""
        for group_id in dict.fromkeys(group_ids):
            where = (_groups.c.accreditation_id == accreditation_id,
                     _groups.c.group_id == group_id)
            known = await self.one(_groups.select().where(*where))
            if known is None:
                await self.conn.execute(_groups.insert().values(
                    accreditation_id=accreditation_id, group_id=group_id,
                    requested=requested, granted=granted))
            elif (requested and not known.requested) or (granted and not known.granted):
                await self.conn.execute(_groups.update().where(*where).values(
                    requested=known.requested or requested, granted=known.granted or granted))

    async def groups_of(self, accreditation_ids: list[int]) -> dict[int, list[sa.Row]]:
        """Each accreditation's groups: the `groups` row with `requested` and `granted`."""
        if not accreditation_ids:
            return {}
        rows = await self.all(
            sa.select(groups, _groups.c.accreditation_id, _groups.c.requested,
                      _groups.c.granted)
            .join(_groups, _groups.c.group_id == groups.c.id)
            .where(self.among(_groups.c.accreditation_id, accreditation_ids))
            .order_by(groups.c.press_name, groups.c.id))
        found: dict[int, list[sa.Row]] = {a: [] for a in accreditation_ids}
        for row in rows:
            found[row.accreditation_id].append(row)
        return found

    # The journalists' accounts.

    async def accounts_of_addresses(self, emails: list[str]) -> dict[str, sa.Row]:
        """The accounts that have these addresses (with `role` and `email_lower`), by the
        address in lower case."""
        if not emails:
            return {}
        rows = await self.all(
            sa.select(accounts, users.c.role, users.c.email_lower)
            .join(users, users.c.account_id == accounts.c.id)
            .where(users.c.email_lower.in_({email.lower() for email in emails})))
        return {row.email_lower: row for row in rows}

    async def accounts_with_roles(self, account_ids: list[int]) -> dict[int, sa.Row]:
        if not account_ids:
            return {}
        rows = await self.all(
            sa.select(accounts, users.c.role, users.c.email_lower)
            .join(users, users.c.account_id == accounts.c.id)
            .where(self.among(accounts.c.id, account_ids)))
        return {row.id: row for row in rows}
