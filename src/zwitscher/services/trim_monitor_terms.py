"""Keep each monitor's trending terms small once a day is over: a recurring job.

While a day lasts, every term of every matched post is counted (one statement per post:
`MonitorInsightsRepo.count_terms`). After it, only the `TERMS_PER_DAY` most mentioned terms
per monitor and day are kept, which is what trending terms (`show_monitor_trends`) can rank
anyway. Each run trims the last `DAYS` days that are over, so a day missed while no process
ran jobs is trimmed later; a day trimmed already loses nothing more.
"""

from __future__ import annotations

from datetime import timedelta

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.analytics import day_of
from zwitscher.domain.clock import utcnow
from zwitscher.domain.jobs import TrimMonitorTerms

DAYS = 7
# A few minutes after midnight (UTC), when the day's last matches are stored.
AFTER_MIDNIGHT = timedelta(minutes=5)


async def trim_monitor_terms(uow: UnitOfWork) -> int:
    """Trim the days over, then queue the next run; returns the rows deleted."""
    today = day_of(utcnow())
    deleted = await uow.monitor_insights.trim_terms(since=today - timedelta(days=DAYS),
                                                    before=today)
    next_run = today + timedelta(days=1) + AFTER_MIDNIGHT
    await uow.enqueue(TrimMonitorTerms(), delay=next_run - utcnow())
    return deleted


async def schedule_monitor_term_trimming(uow: UnitOfWork) -> None:
    """Start the round unless one is under way (every process that runs jobs asks at start)."""
    if not await uow.jobs.pending(TrimMonitorTerms.KIND):
        await uow.enqueue(TrimMonitorTerms())
