"""Keep quality scores current: a recurring job rescoring the accounts active lately.

Like the home feed trimming, it walks accounts in small batches (the one SQLite writer is
never held long), and after the last batch forgets follow events older than the score's
window and starts a new round after `quality_interval_seconds`.
"""

from __future__ import annotations

from datetime import timedelta

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.jobs import ScoreActiveAccounts
from zwitscher.domain.quality import WINDOW
from zwitscher.services.score_account_quality import score_account_quality

BATCH = 50
ACTIVE_WITHIN = timedelta(days=1)


async def score_active_accounts(uow: UnitOfWork, *, after_account_id: int = 0) -> int:
    """Score the next batch of recently active accounts and queue what comes next. Returns
    the number of accounts scored."""
    now = utcnow()
    account_ids = await uow.quality.active_account_ids(after_id=after_account_id,
                                                       since=now - ACTIVE_WITHIN, limit=BATCH)
    for account_id in account_ids:
        await score_account_quality(uow, account_id=account_id)
    if len(account_ids) == BATCH:
        await uow.enqueue(ScoreActiveAccounts(after_account_id=account_ids[-1]))
    else:
        await uow.quality.forget_follow_events(before=now - WINDOW)
        interval = timedelta(seconds=uow.settings.quality_interval_seconds)
        await uow.enqueue(ScoreActiveAccounts(), delay=interval)
    return len(account_ids)


async def schedule_quality_scoring(uow: UnitOfWork) -> None:
    """Start the round unless one is under way (every process that runs jobs asks at start)."""
    if not await uow.jobs.pending(ScoreActiveAccounts.KIND):
        await uow.enqueue(ScoreActiveAccounts())
