"""Roll counted analytics events into their hourly and daily buckets: a recurring job.

Each run takes up to `BATCH` of the oldest events in its one transaction (see
`AnalyticsRepo.roll_up`: killed half way, nothing is counted twice). A full batch means more
are waiting: the next run follows at once; else after `analytics_rollup_seconds`, mentions
unanswered for OPEN_MENTION_DAYS are forgotten (an answer after that counts as none: the
response time histogram's last bucket is "more than 3 days" either way), and the hourly
buckets of days that ended more than `analytics_hourly_keep_seconds` ago are deleted (the
daily ones stay).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.analytics import day_of
from zwitscher.domain.clock import utcnow
from zwitscher.domain.jobs import RollUpAnalytics
from zwitscher.settings import Settings

BATCH = 5000
OPEN_MENTION_DAYS = 90


async def roll_up_analytics(uow: UnitOfWork) -> int:
    """Roll up the next batch and queue the next run; returns the events rolled up."""
    hourly_since = hourly_kept_since(uow.settings)
    rolled = await uow.analytics.roll_up(limit=BATCH, hourly_since=hourly_since)
    if rolled >= BATCH:
        await uow.enqueue(RollUpAnalytics())
    else:
        await uow.analytics.forget_open_mentions(
            before=utcnow() - timedelta(days=OPEN_MENTION_DAYS))
        await uow.analytics.trim_hourly(before=hourly_since)
        interval = timedelta(seconds=uow.settings.analytics_rollup_seconds)
        await uow.enqueue(RollUpAnalytics(), delay=interval)
    return rolled


async def schedule_analytics_roll_up(uow: UnitOfWork) -> None:
    """Start the round unless one is under way (every process that runs jobs asks at start)."""
    if not await uow.jobs.pending(RollUpAnalytics.KIND):
        await uow.enqueue(RollUpAnalytics())


def hourly_kept_since(settings: Settings) -> datetime:
    """The start of the first day whose hourly buckets are kept: whole days, so a report by
    hour never begins in a day half trimmed (and the trim finds work once a day)."""
    return day_of(utcnow() - timedelta(seconds=settings.analytics_hourly_keep_seconds))
