"""Analytics counters: events appended by the actions, rolled into hourly and daily buckets.

The roll-up deletes the oldest events, adds what it deleted to the buckets (an upsert per
bucket), all in the job's one transaction: killed half way, it rolled
back and counts nothing twice. Reads add the events not yet rolled up, so a count is right
the moment its action commits. Something taken back (an un-favourite, a deleted post) is an
event too, of a negative value in the hour the thing was counted in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import (
    analytics_daily,
    analytics_events,
    analytics_hourly,
    analytics_open_mentions,
    favourites,
    follows,
    group_members,
    group_tree,
    groups,
    statuses,
    users,
)
from zwitscher.domain.analytics import INSTANCE_ID, Metric, Subject, day_of, hour_of
from zwitscher.domain.ids import new_id

Count = tuple[str, int, str, int]  # subject kind, subject id, metric, value
Key = tuple[str, int, str, datetime]


class AnalyticsRepo(Repo):
    async def count(self, counts: Iterable[Count], *, at: datetime) -> None:
        """Append one event per count (one statement)."""
        hour = hour_of(at)
        rows = [dict(id=new_id(), subject_kind=kind, subject_id=subject_id, metric=metric,
                     hour=hour, value=value)
                for kind, subject_id, metric, value in counts if value]
        if rows:
            await self.conn.execute(analytics_events.insert(), rows)

    async def open_mentions(self, account_ids: Iterable[int], *, thread_root_id: int,
                            at: datetime) -> None:
        """Note unanswered mentions (an earlier open one in the thread is kept: the response
        time runs from the first)."""
        await self.insert_ignoring_conflicts(analytics_open_mentions, [
            dict(account_id=account_id, thread_root_id=thread_root_id, mentioned_at=at)
            for account_id in account_ids])

    async def answer_mention(self, *, account_id: int, thread_root_id: int) -> datetime | None:
        """When the account was first mentioned in the thread, if that is still open; it is
        answered now."""
        where = (analytics_open_mentions.c.account_id == account_id,
                 analytics_open_mentions.c.thread_root_id == thread_root_id)
        mentioned_at = await self.scalar(
            sa.select(analytics_open_mentions.c.mentioned_at).where(*where))
        if mentioned_at is not None:
            await self.conn.execute(analytics_open_mentions.delete().where(*where))
        return mentioned_at

    async def forget_open_mentions(self, *, before: datetime) -> None:
        await self.conn.execute(analytics_open_mentions.delete().where(
            analytics_open_mentions.c.mentioned_at < before))

    async def counted_since(self) -> datetime | None:
        """The hour (once rolled up: the day) of the first count: what happened before was
        never counted, so there is nothing to take back. Every count is also one of the
        organisation's, whose first one is a lookup of the buckets' key (and a scan of the
        events not rolled up yet)."""
        d, e = analytics_daily.c, analytics_events.c
        firsts = sa.union_all(
            sa.select(sa.func.min(d.bucket_start).label("start")).where(
                d.subject_kind == Subject.INSTANCE.value, d.subject_id == INSTANCE_ID),
            sa.select(sa.func.min(e.hour).label("start")).where(
                e.subject_kind == Subject.INSTANCE.value)).subquery()
        found = [start for start in await self.scalars(sa.select(firsts.c.start))
                 if start is not None]
        return min(_aware(start) for start in found) if found else None

    async def favourited_at(self, *, account_id: int, status_id: int) -> datetime | None:
        return await self.scalar(sa.select(favourites.c.created_at).where(
            favourites.c.account_id == account_id, favourites.c.status_id == status_id))

    async def received(self, *, status_id: int, author_id: int) -> list[tuple[Metric, datetime]]:
        """When each favourite and each reply the status received from others was given: what
        its deletion takes back from its author's numbers."""
        f, s = favourites.c, statuses.c
        rows = await self.all(sa.union_all(
            sa.select(sa.literal(Metric.FAVOURITES.value).label("metric"), f.created_at)
            .where(f.status_id == status_id, f.account_id != author_id),
            sa.select(sa.literal(Metric.REPLIES.value).label("metric"), s.created_at)
            .where(s.in_reply_to_id == status_id, s.account_id != author_id)))
        return [(Metric(metric), _aware(at)) for metric, at in rows]

    async def roll_up(self, *, limit: int, hourly_since: datetime) -> int:
        """Roll the oldest `limit` events into the buckets; returns how many were rolled.

        What is counted is exactly what the DELETE took (RETURNING): an event committed
        meanwhile with a lower id (its transaction began earlier) is left for the next run,
        and of two runs at once each takes only the rows it deleted. Events of hours before
        `hourly_since` (taken back long after) go into the daily buckets only: their hourly
        ones are trimmed."""
        e = analytics_events.c
        oldest = sa.select(e.id).order_by(e.id).limit(limit).scalar_subquery()
        taken = await self.all(
            analytics_events.delete().where(e.id.in_(oldest))
            .returning(e.subject_kind, e.subject_id, e.metric, e.hour, e.value))
        hourly: dict[Key, int] = defaultdict(int)
        daily: dict[Key, int] = defaultdict(int)
        for row in taken:
            if _aware(row.hour) >= hourly_since:
                hourly[(row.subject_kind, row.subject_id, row.metric, row.hour)] += row.value
            daily[(row.subject_kind, row.subject_id, row.metric, day_of(row.hour))] += row.value
        await self._add(analytics_hourly, hourly)
        await self._add(analytics_daily, daily)
        return len(taken)

    async def _add(self, table: sa.Table, sums: dict[Key, int]) -> None:
        if not sums:
            return
        dialect = sqlite if self.conn.dialect.name == "sqlite" else postgresql
        statement = dialect.insert(table)
        statement = statement.on_conflict_do_update(
            index_elements=["subject_kind", "subject_id", "bucket_start", "metric"],
            set_={"value": table.c.value + statement.excluded.value})
        await self.conn.execute(statement, [
            dict(subject_kind=kind, subject_id=subject_id, metric=metric, bucket_start=start,
                 value=value) for (kind, subject_id, metric, start), value in sums.items()])

    async def trim_hourly(self, *, before: datetime) -> int:
        """Delete the hourly buckets before `before` (a day's start); returns how many went.

        Buckets are keyed by subject first, so finding old ones scans them all: that is done
        only when the organisation's oldest hourly bucket (one lookup of the key) is old. Every
        hour with a count has one of the organisation's, so with `before` moving a day at a
        time the scan runs about once a day."""
        h = analytics_hourly.c
        stale = sa.select(h.bucket_start).where(
            h.subject_kind == Subject.INSTANCE.value, h.subject_id == INSTANCE_ID,
            h.bucket_start < before).limit(1)
        if await self.scalar(stale) is None:
            return 0
        result = await self.conn.execute(analytics_hourly.delete().where(h.bucket_start < before))
        return result.rowcount

    async def pending(self) -> int:
        return await self.scalar(sa.select(sa.func.count()).select_from(analytics_events))

    async def sums(self, *, kind: str, subject_id: int, start: datetime, end: datetime,
                   hourly: bool) -> list[tuple[str, datetime, int]]:
        """(metric, bucket start, value) of the subject in [start, end), from the hourly or
        the daily buckets, and the events not yet rolled up (by hour). One statement: one
        snapshot, so a roll-up committing meanwhile is seen either wholly or not at all."""
        table = analytics_hourly if hourly else analytics_daily
        b, e = table.c, analytics_events.c
        rows = await self.all(sa.union_all(
            sa.select(sa.literal(False).label("raw"), b.metric, b.bucket_start.label("start"),
                      b.value)
            .where(b.subject_kind == kind, b.subject_id == subject_id,
                   b.bucket_start >= start, b.bucket_start < end),
            sa.select(sa.literal(True).label("raw"), e.metric, e.hour.label("start"),
                      # PostgreSQL's sum of bigints is numeric (a Decimal in Python).
                      sa.cast(sa.func.sum(e.value), sa.BigInteger).label("value"))
            .where(e.subject_kind == kind, e.subject_id == subject_id,
                   e.hour >= start, e.hour < end).group_by(e.metric, e.hour)))
        # Unpacked, not by name: a year by day is 6,000 rows.
        return [(metric, start if not raw and isinstance(start, datetime) and start.tzinfo
                 else _aware(start) if hourly or not raw else day_of(_aware(start)), value)
                for raw, metric, start, value in rows]


    async def totals(self, *, kind: str, subject_id: int, start: datetime,
                     end: datetime) -> dict[str, int]:
        """Each metric's sum over [start, end) (whole days), rolled up or not (one statement,
        as `sums`)."""
        b, e = analytics_daily.c, analytics_events.c
        parts = sa.union_all(
            sa.select(b.metric, b.value).where(
                b.subject_kind == kind, b.subject_id == subject_id,
                b.bucket_start >= start, b.bucket_start < end),
            sa.select(e.metric, e.value).where(
                e.subject_kind == kind, e.subject_id == subject_id,
                e.hour >= start, e.hour < end)).subquery()
        rows = await self.all(sa.select(parts.c.metric,
                                        sa.cast(sa.func.sum(parts.c.value), sa.BigInteger)
                                        .label("n"))
                              .group_by(parts.c.metric))
        return {row.metric: int(row.n) for row in rows}

def _aware(moment: datetime) -> datetime:
    """A union's column loses its type on SQLite: the stored naive UTC comes back."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class FollowerComposition(Repo):
    """Who follows an account, as counts only: by role and by group (`show_analytics`)."""

    async def total(self, account_id: int) -> int:
        return await self.scalar(sa.select(sa.func.count()).select_from(follows)
                                 .where(follows.c.target_account_id == account_id))

    async def by_role(self, account_id: int) -> dict[str, int]:
        rows = await self.all(
            sa.select(users.c.role, sa.func.count().label("n"))
            .select_from(follows.join(users, users.c.account_id == follows.c.account_id))
            .where(follows.c.target_account_id == account_id).group_by(users.c.role))
        return {row.role: row.n for row in rows}

    async def by_group(self, account_id: int) -> list[sa.Row]:
        """(id, name, press, n) per group with followers among its members (those of the
        groups below it included), most first."""
        n = sa.func.count(sa.distinct(follows.c.account_id)).label("n")
        return await self.all(
            sa.select(groups.c.id, groups.c.name, groups.c.press, n)
            .select_from(follows
                         .join(group_members, group_members.c.account_id == follows.c.account_id)
                         .join(group_tree, group_tree.c.descendant_id == group_members.c.group_id)
                         .join(groups, groups.c.id == group_tree.c.ancestor_id))
            .where(follows.c.target_account_id == account_id)
            .group_by(groups.c.id, groups.c.name, groups.c.press)
            .order_by(n.desc(), groups.c.name))
