"""Keep home feeds at their size: the newest `home_feed_size` entries per account.

Fan-out only ever adds feed rows. A recurring job walks all accounts in small batches (so on
SQLite the one writer is never held for long), trims each batch in one statement, and when it
has been round, starts over after `home_feed_trim_interval_seconds`.
"""

from __future__ import annotations

from datetime import timedelta

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.jobs import TrimHomeFeeds

BATCH = 100


async def trim_home_feeds(uow: UnitOfWork, *, after_account_id: int = 0) -> int:
    """Trim the feeds of the next batch of accounts and queue what comes next: the following
    batch at once, or, after the last, a new round later. Returns entries deleted."""
    account_ids = await uow.accounts.ids_after(after_account_id, BATCH)
    deleted = await uow.home_feed.trim(account_ids, uow.settings.home_feed_size) \
        if account_ids else 0
    if len(account_ids) == BATCH:
        await uow.enqueue(TrimHomeFeeds(after_account_id=account_ids[-1]))
    else:
        interval = timedelta(seconds=uow.settings.home_feed_trim_interval_seconds)
        await uow.enqueue(TrimHomeFeeds(), delay=interval)
    return deleted


async def schedule_home_feed_trimming(uow: UnitOfWork) -> None:
    """Start the round unless one is under way (every process that runs jobs asks at start)."""
    if not await uow.jobs.pending(TrimHomeFeeds.KIND):
        await uow.enqueue(TrimHomeFeeds())
