"""Delete the statuses past the retention policies (`set_retention_policy`): a recurring
job, in batches as `clean_unattached_media`: a full batch queues the next at once, a short one
the next round after `retention_interval_seconds`. Each batch goes as any deletion of
statuses does (`remove_statuses`). Pinned posts stay (as with Mastodon's own automatic
deletion), and so does whatever a legal hold keeps (`RemovalsRepo.past_retention`).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.jobs import ApplyRetention
from zwitscher.services.remove_statuses import remove_statuses
from zwitscher.services.set_retention_policy import retention_policy

BATCH = 100
log = logging.getLogger(__name__)


async def apply_retention(uow: UnitOfWork) -> int:
    """Delete the next batch; returns how many statuses went (reblogs of them included)."""
    now = utcnow()
    policy = await retention_policy(uow)
    expired = await uow.removals.past_retention(policy.cutoffs(now), now=now, limit=BATCH)
    removed = await remove_statuses(uow, statuses=expired)
    if removed:
        log.info("retention: %d statuses deleted", removed)
    interval = timedelta(seconds=uow.settings.retention_interval_seconds)
    await uow.enqueue(ApplyRetention(), delay=None if len(expired) == BATCH else interval)
    return removed


async def schedule_retention(uow: UnitOfWork) -> None:
    """Start the round unless one is under way (every process that runs jobs asks at start)."""
    if not await uow.jobs.pending(ApplyRetention.KIND):
        await uow.enqueue(ApplyRetention())
