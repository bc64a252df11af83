"""Statuses waiting for their time; the job system publishes them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import scheduled_statuses
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id


class ScheduledStatusesRepo(Repo):
    async def add(self, *, account_id: int, posted_by_id: int | None,
                  application_id: int | None, scheduled_at: datetime, params: dict) -> int:
        scheduled_id = new_id()
        await self.conn.execute(scheduled_statuses.insert().values(
            id=scheduled_id, account_id=account_id, posted_by_id=posted_by_id,
            application_id=application_id, scheduled_at=scheduled_at, params=params,
            created_at=utcnow()))
        return scheduled_id

    async def get(self, scheduled_id: int) -> sa.Row | None:
        return await self.one(scheduled_statuses.select().where(
            scheduled_statuses.c.id == scheduled_id))

    async def of_account(self, account_id: int, page: Page) -> list[sa.Row]:
        query = scheduled_statuses.select().where(scheduled_statuses.c.account_id == account_id)
        return newest_first(await self.all(apply_page(query, scheduled_statuses.c.id, page)),
                            page)

    async def count(self, account_id: int, *, between: tuple[datetime, datetime] | None = None,
                    excluding: int | None = None) -> int:
        query = sa.select(sa.func.count()).select_from(scheduled_statuses).where(
            scheduled_statuses.c.account_id == account_id)
        if between is not None:
            query = query.where(scheduled_statuses.c.scheduled_at >= between[0],
                                scheduled_statuses.c.scheduled_at < between[1])
        if excluding is not None:
            query = query.where(scheduled_statuses.c.id != excluding)
        return await self.scalar(query)

    async def reschedule(self, scheduled_id: int, at: datetime) -> None:
        await self.conn.execute(scheduled_statuses.update().where(
            scheduled_statuses.c.id == scheduled_id).values(scheduled_at=at))

    async def delete(self, scheduled_id: int) -> bool:
        result = await self.conn.execute(scheduled_statuses.delete().where(
            scheduled_statuses.c.id == scheduled_id))
        return result.rowcount > 0
