"""Delete uploads nobody posted within `unattached_media_max_age_seconds` (a day by default):
apps upload as soon as an image is picked, and many a draft is abandoned.

A recurring job, in batches as `trim_home_feeds`: a full batch queues the next at once,
a short one the next round an hour later.
"""

from __future__ import annotations

from datetime import timedelta

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.jobs import CleanUnattachedMedia
from zwitscher.services.delete_media import discard_media

BATCH = 100
INTERVAL = timedelta(hours=1)


async def clean_unattached_media(uow: UnitOfWork) -> int:
    """Delete the next batch of abandoned uploads; returns how many."""
    cutoff = utcnow() - timedelta(seconds=uow.settings.unattached_media_max_age_seconds)
    rows = await uow.media.unattached_before(cutoff, BATCH)
    await discard_media(uow, rows)
    await uow.enqueue(CleanUnattachedMedia(), delay=None if len(rows) == BATCH else INTERVAL)
    return len(rows)


async def schedule_media_cleaning(uow: UnitOfWork) -> None:
    if not await uow.jobs.pending(CleanUnattachedMedia.KIND):
        await uow.enqueue(CleanUnattachedMedia())
