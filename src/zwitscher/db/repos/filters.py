"""Filters, their keywords and statuses. Every read is scoped to the owner: another person's
filter, keyword or status filter is simply not found."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import filter_keywords, filter_statuses, filters
from zwitscher.domain.clock import utcnow
from zwitscher.domain.filters import Filter, Keyword
from zwitscher.domain.ids import new_id


class FiltersRepo(Repo):
    async def of(self, account_id: int, *, active_at: datetime | None = None) -> list[Filter]:
        """The person's filters with their keywords and statuses, oldest first; with
        `active_at`, only those not expired then."""
        query = filters.select().where(filters.c.account_id == account_id)
        if active_at is not None:
            query = query.where(sa.or_(filters.c.expires_at.is_(None),
                                       filters.c.expires_at > active_at))
        rows = await self.all(query.order_by(filters.c.id))
        return await self._assemble(rows)

    async def get(self, account_id: int, filter_id: int) -> Filter | None:
        row = await self.one(filters.select().where(filters.c.id == filter_id,
                                                    filters.c.account_id == account_id))
        return (await self._assemble([row]))[0] if row else None

    async def _assemble(self, rows: list[sa.Row]) -> list[Filter]:
        if not rows:
            return []
        ids = [row.id for row in rows]
        keywords: dict[int, list[Keyword]] = {i: [] for i in ids}
        for k in await self.all(filter_keywords.select()
                                .where(filter_keywords.c.filter_id.in_(ids))
                                .order_by(filter_keywords.c.id)):
            keywords[k.filter_id].append(Keyword(k.id, k.keyword, k.whole_word))
        statuses: dict[int, list[tuple[int, int]]] = {i: [] for i in ids}
        for s in await self.all(filter_statuses.select()
                                .where(filter_statuses.c.filter_id.in_(ids))
                                .order_by(filter_statuses.c.id)):
            statuses[s.filter_id].append((s.id, s.status_id))
        return [Filter(row.id, row.title, tuple(row.context), row.action, row.expires_at,
                       tuple(keywords[row.id]), tuple(statuses[row.id]),
                       frozenset(status_id for _, status_id in statuses[row.id]))
                for row in rows]

    async def count(self, account_id: int) -> int:
        return await self.scalar(sa.select(sa.func.count()).select_from(filters)
                                 .where(filters.c.account_id == account_id))

    async def add(self, *, account_id: int, title: str, context: tuple[str, ...], action: str,
                  expires_at: datetime | None) -> int:
        filter_id = new_id()
        await self.conn.execute(filters.insert().values(
            id=filter_id, account_id=account_id, title=title, context=list(context),
            action=action, expires_at=expires_at, created_at=utcnow()))
        return filter_id

    async def change(self, filter_id: int, **values) -> None:
        if "context" in values:
            values["context"] = list(values["context"])
        await self.conn.execute(filters.update().where(filters.c.id == filter_id)
                                .values(**values))

    async def remove(self, filter_id: int) -> None:
        await self.conn.execute(filters.delete().where(filters.c.id == filter_id))

    # Keywords.

    async def add_keyword(self, filter_id: int, keyword: str, whole_word: bool) -> int:
        keyword_id = new_id()
        await self.conn.execute(filter_keywords.insert().values(
            id=keyword_id, filter_id=filter_id, keyword=keyword, whole_word=whole_word,
            created_at=utcnow()))
        return keyword_id

    async def change_keyword(self, keyword_id: int, **values) -> None:
        await self.conn.execute(filter_keywords.update()
                                .where(filter_keywords.c.id == keyword_id).values(**values))

    async def remove_keyword(self, keyword_id: int) -> None:
        await self.conn.execute(filter_keywords.delete()
                                .where(filter_keywords.c.id == keyword_id))

    async def keyword(self, account_id: int, keyword_id: int) -> sa.Row | None:
        """The keyword with its filter's id, if the filter is the person's."""
        return await self.one(
            sa.select(filter_keywords).join(filters, filters.c.id == filter_keywords.c.filter_id)
            .where(filter_keywords.c.id == keyword_id, filters.c.account_id == account_id))

    # Statuses.

    async def add_status(self, filter_id: int, status_id: int) -> sa.Row:
        """The filter's entry for the status (made unless it is there already)."""
        await self.insert_ignoring_conflicts(filter_statuses, [dict(
            id=new_id(), filter_id=filter_id, status_id=status_id, created_at=utcnow())])
        return await self.one(filter_statuses.select().where(
            filter_statuses.c.filter_id == filter_id, filter_statuses.c.status_id == status_id))

    async def status_entry(self, account_id: int, entry_id: int) -> sa.Row | None:
        return await self.one(
            sa.select(filter_statuses).join(filters, filters.c.id == filter_statuses.c.filter_id)
            .where(filter_statuses.c.id == entry_id, filters.c.account_id == account_id))

    async def remove_status(self, entry_id: int) -> None:
        await self.conn.execute(filter_statuses.delete()
                                .where(filter_statuses.c.id == entry_id))
