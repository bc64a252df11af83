"""Trending terms of a monitor: the words and hashtags its posts mention more often in a
period than in the period of the same length before it (`domain/terms.py: rank_trending`).

Reads the per-day term counts kept at ingest (`services/record_monitor_insights.py`), never
the posts; the totals are the matches counted in each period.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.analytics import Period
from zwitscher.domain.terms import TrendingTerm, rank_trending
from zwitscher.policies.monitors import readable_monitor


@dataclass(frozen=True, slots=True)
class Trends:
    monitor: sa.Row
    period: Period
    previous: Period
    matches: int
    previous_matches: int
    terms: list[TrendingTerm]


async def monitor_trends(uow: UnitOfWork, *, account_id: int, monitor_id: int,
                         period: Period) -> Trends:
    monitor = await readable_monitor(uow, monitor_id, account_id)
    previous = period.previous()
    insights = uow.monitor_insights
    current = await insights.term_counts(monitor.id, start=period.start, end=period.end)
    baseline = await insights.term_counts(monitor.id, start=previous.start, end=previous.end)
    matches = await insights.matches_counted(monitor.id, start=period.start, end=period.end)
    before = await insights.matches_counted(monitor.id, start=previous.start,
                                            end=previous.end)
    ranked = rank_trending(current, baseline, current_total=matches,
                           baseline_total=before)
    return Trends(monitor, period, previous, matches, before, ranked)
