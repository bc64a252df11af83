"""What monitor insights read and keep: the matches' sentiment, per-day term counts, and the
spike alerts' state (`db/schema/monitors.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import (
    monitor_hourly_counts,
    monitor_matches,
    monitor_spike_state,
    monitor_term_counts,
    monitors,
)
from zwitscher.db.schema.base import UTCDateTime
from zwitscher.domain.ids import id_for_datetime

mm, counts, terms, spikes = (monitor_matches, monitor_hourly_counts, monitor_term_counts,
                             monitor_spike_state)


class MonitorInsightsRepo(Repo):
    # Distinct terms kept per monitor and day (see the schema's docstring).
    TERMS_PER_DAY = 200

    def _insert(self, table: sa.Table):
        return (sqlite if self.conn.dialect.name == "sqlite" else postgresql).insert(table)

    # Sentiment.

    async def set_sentiment(self, status_id: int, *, compound: float | None,
                            label: str | None) -> None:
        """The sentiment of an edited post on all its matches (a new match is stored with it:
        `MonitorsRepo.add_matches`)."""
        await self.conn.execute(mm.update().where(mm.c.status_id == status_id)
                                .values(sentiment=compound, sentiment_label=label))

    async def matches_in(self, monitor_ids: Sequence[int], *, start: datetime,
                         end: datetime) -> list[sa.Row]:
        """(monitor_id, matched_at, sentiment_label) of the matches from `start` to before
        `end`."""
        if not monitor_ids:
            return []
        return await self.all(
            sa.select(mm.c.monitor_id, mm.c.matched_at, mm.c.sentiment_label)
            .where(self.among(mm.c.monitor_id, monitor_ids), mm.c.matched_at >= start,
                   mm.c.matched_at < end))

    async def match(self, monitor_id: int, status_id: int) -> sa.Row | None:
        return await self.one(mm.select().where(mm.c.monitor_id == monitor_id,
                                                mm.c.status_id == status_id))

    # Terms.

    async def count_terms(self, monitor_ids: Sequence[int], found: Sequence[str], *,
                          day: datetime) -> None:
        """One more post mentioning each of `found` for each monitor on `day`: one statement
        for all, whatever the number of monitors (a day's terms are trimmed once it is over:
        `trim_terms`)."""
        if not monitor_ids or not found:
            return
        monitor_rows = self.each("monitor_ids", monitor_ids, sa.BigInteger)
        term_rows = self.each("terms", dict.fromkeys(term[:100] for term in found), sa.Text)
        # Every pair of monitor and term, made in the database from two parameters (binding
        # a row per pair cost more than the statement). SQLite needs the WHERE of an
        # INSERT … SELECT with ON CONFLICT.
        pairs = (sa.select(monitor_rows.c.value, sa.literal(day, UTCDateTime),
                           term_rows.c.value, sa.literal(1))
                 .select_from(monitor_rows).join(term_rows, sa.true()).where(sa.true()))
        await self.conn.execute(
            self._insert(terms)
            .from_select(["monitor_id", "day", "term", "posts"], pairs)
            .on_conflict_do_update(
                index_elements=[terms.c.monitor_id, terms.c.day, terms.c.term],
                set_={"posts": terms.c.posts + 1}))

    async def trim_terms(self, *, since: datetime, before: datetime) -> int:
        """Keep the `TERMS_PER_DAY` most mentioned terms of each monitor and day from `since`
        to before `before`; returns the rows deleted."""
        rank = sa.func.row_number().over(
            partition_by=(terms.c.monitor_id, terms.c.day),
            order_by=(terms.c.posts.desc(), terms.c.term)).label("rank")
        ranked = (sa.select(terms.c.monitor_id, terms.c.day, terms.c.term, rank)
                  .where(terms.c.day >= since, terms.c.day < before).subquery())
        beyond = (sa.select(ranked.c.monitor_id, ranked.c.day, ranked.c.term)
                  .where(ranked.c.rank > self.TERMS_PER_DAY))
        result = await self.conn.execute(terms.delete().where(
            terms.c.day >= since, terms.c.day < before,
            sa.tuple_(terms.c.monitor_id, terms.c.day, terms.c.term).in_(beyond)))
        return result.rowcount

    async def term_counts(self, monitor_id: int, *, start: datetime, end: datetime
                          ) -> dict[str, int]:
        """Term -> posts mentioning it, days from `start` to before `end`."""
        rows = await self.all(
            sa.select(terms.c.term, sa.func.sum(terms.c.posts).label("posts"))
            .where(terms.c.monitor_id == monitor_id, terms.c.day >= start, terms.c.day < end)
            .group_by(terms.c.term))
        return {row.term: int(row.posts) for row in rows}

    async def matches_counted(self, monitor_id: int, *, start: datetime, end: datetime) -> int:
        """Matches counted from `start` to before `end` (whole hours)."""
        return int(await self.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(counts.c.matches), 0))
            .where(counts.c.monitor_id == monitor_id, counts.c.hour >= start,
                   counts.c.hour < end)) or 0)

    # Spikes.

    async def counted_in(self, hour: datetime) -> list[sa.Row]:
        """(monitor_id, matches) of the monitors with matches in `hour`."""
        return await self.all(sa.select(counts.c.monitor_id, counts.c.matches)
                              .where(counts.c.hour == hour))

    async def matches_since(self, monitor_id: int, moment: datetime) -> int:
        """The monitor's matches of posts made since `moment` (a range of the primary key:
        status ids begin with their time)."""
        return await self.scalar(sa.select(sa.func.count()).select_from(mm).where(
            mm.c.monitor_id == monitor_id, mm.c.status_id >= id_for_datetime(moment)))

    async def history(self, monitor_id: int, *, since: datetime, before: datetime
                      ) -> dict[datetime, int]:
        rows = await self.all(sa.select(counts.c.hour, counts.c.matches)
                              .where(counts.c.monitor_id == monitor_id, counts.c.hour >= since,
                                     counts.c.hour < before))
        return {row.hour: row.matches for row in rows}

    async def counting_since(self, monitor_id: int) -> datetime | None:
        """When the monitor began counting: its creation or its first counted hour, whichever
        is earlier."""
        created = await self.scalar(sa.select(monitors.c.created_at)
                                    .where(monitors.c.id == monitor_id))
        first = await self.scalar(sa.select(sa.func.min(counts.c.hour))
                                  .where(counts.c.monitor_id == monitor_id))
        found = [moment for moment in (created, first) if moment is not None]
        return min(found) if found else None

    async def spike_state(self, monitor_id: int) -> sa.Row | None:
        return await self.one(spikes.select().where(spikes.c.monitor_id == monitor_id))

    async def note_spike(self, monitor_id: int, *, at: datetime, alerted: bool,
                         previous: sa.Row | None) -> bool:
        """Record that the 60 minutes up to `at` spiked (and were alerted). False when another
        run recorded one first (then it alerts nothing)."""
        values = {"spiking_through": at}
        if alerted:
            values["alerted_at"] = at
        if previous is None:
            return bool(await self.insert_ignoring_conflicts(spikes, [{
                "monitor_id": monitor_id, "spiking_through": at,
                "alerted_at": at if alerted else None}]))
        through = spikes.c.spiking_through
        same = through.is_(None) if previous.spiking_through is None \
            else through == previous.spiking_through
        result = await self.conn.execute(spikes.update().where(
            spikes.c.monitor_id == monitor_id, same).values(**values))
        return result.rowcount > 0
