"""Reports filed against accounts, and their handling by moderators. `group_moderator_id`
narrows a question to the reports that person handles as a group's moderator (None: all, as
the organisation's moderators see them)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import reports
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id
from zwitscher.policies.group_moderation import moderated_in_groups


class ReportsRepo(Repo):
    async def add(self, *, account_id: int, target_account_id: int, category: str,
                  comment: str, status_ids: list[int]) -> int:
        report_id = new_id()
        now = utcnow()
        await self.conn.execute(reports.insert().values(
            id=report_id, account_id=account_id, target_account_id=target_account_id,
            category=category, comment=comment, status_ids=status_ids, created_at=now,
            updated_at=now))
        return report_id

    async def get(self, report_id: int) -> sa.Row | None:
        return await self.one(reports.select().where(reports.c.id == report_id))

    async def get_many(self, report_ids: set[int]) -> dict[int, sa.Row]:
        if not report_ids:
            return {}
        rows = await self.all(reports.select().where(reports.c.id.in_(list(report_ids))))
        return {row.id: row for row in rows}

    async def page(self, page: Page, *, resolved: bool, account_id: int | None,
                   target_account_id: int | None,
                   group_moderator_id: int | None = None) -> list[sa.Row]:
        query = _of(group_moderator_id).where(reports.c.action_taken_at.is_not(None) if resolved
                                              else reports.c.action_taken_at.is_(None))
        if account_id is not None:
            query = query.where(reports.c.account_id == account_id)
        if target_account_id is not None:
            query = query.where(reports.c.target_account_id == target_account_id)
        return newest_first(await self.all(apply_page(query, reports.c.id, page)), page)

    async def count_unresolved(self, *, group_moderator_id: int | None = None) -> int:
        return await self.scalar(sa.select(sa.func.count()).select_from(
            _of(group_moderator_id).where(reports.c.action_taken_at.is_(None)).subquery()))

    async def handled_in_groups(self, report_id: int, moderator_id: int) -> bool:
        return await self.exists(_of(moderator_id).where(reports.c.id == report_id))

    async def update(self, report_id: int, **values) -> None:
        await self.conn.execute(reports.update().where(reports.c.id == report_id)
                                .values(updated_at=utcnow(), **values))


def _of(group_moderator_id: int | None) -> sa.Select:
    query = reports.select()
    if group_moderator_id is not None:
        query = query.where(moderated_in_groups(group_moderator_id, reports.c.target_account_id))
    return query
