"""What the quality score reads (recent posts, follow events) and what it stores."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import account_quality, accounts, follow_events, statuses
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id

MAX_POSTS = 1000  # judged at most; more in the window says enough already
MAX_EVENTS = 5000


class QualityRepo(Repo):
    async def record_follow_event(self, *, account_id: int, target_id: int,
                                  action: str) -> None:
        await self.conn.execute(follow_events.insert().values(
            id=new_id(), account_id=account_id, target_account_id=target_id, action=action,
            created_at=utcnow()))

    async def follow_events_since(self, account_id: int, since: datetime) -> list[sa.Row]:
        """Oldest first."""
        return await self.all(
            sa.select(follow_events.c.target_account_id, follow_events.c.action,
                      follow_events.c.created_at)
            .where(follow_events.c.account_id == account_id,
                   follow_events.c.created_at >= since)
            .order_by(follow_events.c.id).limit(MAX_EVENTS))

    async def forget_follow_events(self, *, before: datetime) -> None:
        await self.conn.execute(follow_events.delete().where(
            follow_events.c.created_at < before))

    async def posts_since(self, account_id: int, since: datetime) -> list[sa.Row]:
        return await self.all(
            sa.select(statuses.c.text, statuses.c.reblog_of_id)
            .where(statuses.c.account_id == account_id, statuses.c.created_at >= since)
            .order_by(statuses.c.id.desc()).limit(MAX_POSTS))

    async def active_account_ids(self, *, after_id: int, since: datetime,
                                 limit: int) -> list[int]:
        """Accounts (in id order, from just after `after_id`) that posted or followed or
        unfollowed someone since `since`."""
        followed = sa.exists().where(follow_events.c.account_id == accounts.c.id,
                                     follow_events.c.created_at >= since)
        return await self.scalars(
            sa.select(accounts.c.id)
            .where(accounts.c.id > after_id,
                   sa.or_(accounts.c.last_status_at >= since, followed))
            .order_by(accounts.c.id).limit(limit))

    async def save(self, account_id: int, *, score: float, flags: list[str], signals: dict,
                   computed_at: datetime) -> None:
        await self.conn.execute(account_quality.delete().where(
            account_quality.c.account_id == account_id))
        await self.conn.execute(account_quality.insert().values(
            account_id=account_id, score=score, flags=flags, flagged=bool(flags),
            signals=signals, computed_at=computed_at))

    async def get(self, account_id: int) -> sa.Row | None:
        return await self.one(account_quality.select().where(
            account_quality.c.account_id == account_id))

    async def page(self, page: Page, *, flagged: bool | None) -> list[sa.Row]:
        """Scored accounts with their score, newest accounts first."""
        query = (sa.select(accounts, account_quality.c.score, account_quality.c.flags,
                           account_quality.c.signals, account_quality.c.computed_at)
                 .join(account_quality, account_quality.c.account_id == accounts.c.id))
        if flagged is not None:
            query = query.where(account_quality.c.flagged.is_(flagged))
        return newest_first(await self.all(apply_page(query, accounts.c.id, page)), page)
