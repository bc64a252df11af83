"""Announcements from the organisation's admins, who read them, and the reactions to them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import announcement_reactions, announcement_reads, announcements
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id


@dataclass(frozen=True, slots=True)
class Reaction:
    name: str
    count: int
    me: bool


class AnnouncementsRepo(Repo):
    async def insert(self, **values) -> int:
        announcement_id = new_id()
        now = utcnow()
        await self.conn.execute(announcements.insert().values(
            id=announcement_id, created_at=now, updated_at=now, **values))
        return announcement_id

    async def update(self, announcement_id: int, **values) -> None:
        await self.conn.execute(announcements.update().where(
            announcements.c.id == announcement_id).values(updated_at=utcnow(), **values))

    async def delete(self, announcement_id: int) -> bool:
        result = await self.conn.execute(announcements.delete().where(
            announcements.c.id == announcement_id))
        return result.rowcount > 0

    async def get(self, announcement_id: int) -> sa.Row | None:
        return await self.one(announcements.select().where(
            announcements.c.id == announcement_id))

    async def get_active(self, announcement_id: int, now: datetime) -> sa.Row | None:
        return await self.one(announcements.select().where(
            announcements.c.id == announcement_id, _active(now)))

    async def active(self, now: datetime) -> list[sa.Row]:
        """Published announcements that have begun and not ended, the earliest first."""
        return await self.all(announcements.select().where(_active(now)).order_by(
            sa.func.coalesce(announcements.c.starts_at, announcements.c.published_at),
            announcements.c.id))

    async def unread_active(self, account_id: int, now: datetime) -> list[sa.Row]:
        """The active announcements the account has not dismissed, the earliest first (one
        statement: every signed-in page asks)."""
        dismissed = sa.exists().where(announcement_reads.c.announcement_id == announcements.c.id,
                                      announcement_reads.c.account_id == account_id)
        return await self.all(announcements.select().where(_active(now), ~dismissed).order_by(
            sa.func.coalesce(announcements.c.starts_at, announcements.c.published_at),
            announcements.c.id))

    async def page(self, page: Page) -> list[sa.Row]:
        """All announcements (drafts, scheduled and ended ones too), newest first."""
        return newest_first(await self.all(apply_page(announcements.select(),
                                                      announcements.c.id, page)), page)

    async def read_among(self, account_id: int, announcement_ids: list[int]) -> set[int]:
        if not announcement_ids:
            return set()
        return set(await self.scalars(sa.select(announcement_reads.c.announcement_id).where(
            announcement_reads.c.account_id == account_id,
            announcement_reads.c.announcement_id.in_(announcement_ids))))

    async def mark_read(self, *, announcement_id: int, account_id: int) -> None:
        await self.insert_ignoring_conflicts(announcement_reads, [dict(
            announcement_id=announcement_id, account_id=account_id)])

    # Reactions.

    async def react(self, *, announcement_id: int, account_id: int, name: str) -> bool:
        return bool(await self.insert_ignoring_conflicts(announcement_reactions, [dict(
            announcement_id=announcement_id, account_id=account_id, name=name,
            created_at=utcnow())]))

    async def unreact(self, *, announcement_id: int, account_id: int, name: str) -> bool:
        result = await self.conn.execute(announcement_reactions.delete().where(
            announcement_reactions.c.announcement_id == announcement_id,
            announcement_reactions.c.account_id == account_id,
            announcement_reactions.c.name == name))
        return result.rowcount > 0

    async def reaction_names(self, announcement_id: int) -> set[str]:
        return set(await self.scalars(sa.select(announcement_reactions.c.name).distinct().where(
            announcement_reactions.c.announcement_id == announcement_id)))

    async def reaction_count(self, announcement_id: int, name: str) -> int:
        return await self.scalar(sa.select(sa.func.count()).where(
            announcement_reactions.c.announcement_id == announcement_id,
            announcement_reactions.c.name == name))

    async def reactions(self, announcement_ids: list[int], viewer_id: int | None
                        ) -> dict[int, list[Reaction]]:
        """Each announcement's reactions with their counts and whether the viewer gave them,
        in the order they were first given."""
        found: dict[int, list[Reaction]] = defaultdict(list)
        if not announcement_ids:
            return found
        r = announcement_reactions
        mine = sa.func.max(sa.case((r.c.account_id == viewer_id, 1), else_=0)) \
            if viewer_id is not None else sa.literal(0)
        first_given = sa.func.min(r.c.created_at).label("first_given")
        rows = await self.all(
            sa.select(r.c.announcement_id, r.c.name, sa.func.count().label("count"),
                      mine.label("me"), first_given)
            .where(r.c.announcement_id.in_(announcement_ids))
            .group_by(r.c.announcement_id, r.c.name)
            .order_by(first_given, r.c.name))
        for row in rows:
            found[row.announcement_id].append(Reaction(row.name, row.count, bool(row.me)))
        return found


def _active(now: datetime) -> sa.ColumnElement[bool]:
    a = announcements
    return sa.and_(a.c.published.is_(True),
                   sa.or_(a.c.starts_at.is_(None), a.c.starts_at <= now),
                   sa.or_(a.c.ends_at.is_(None), a.c.ends_at > now))
