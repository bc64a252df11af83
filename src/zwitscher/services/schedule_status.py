"""Schedule a status for later, move it to another time, or cancel it.

A scheduled status is a row, and its publication a job due at its time: both are in the
database, so a restart loses neither. Its uploads wait reserved for it (`media.reserve_*`).
Moving it enqueues a job for the new time; a job that finds its status gone, or due later
than the job, leaves it alone.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.jobs import PublishScheduledStatus
from zwitscher.services.post_as_brand import draft_params
from zwitscher.services.post_status import StatusDraft, check_status_draft

# Mastodon's limits: they keep a mistaken script from filling the future with posts.
MAX_SCHEDULED = 300
MAX_SCHEDULED_PER_DAY = 25


async def schedule_status(uow: UnitOfWork, *, author_id: int, draft: StatusDraft,
                          at: datetime, posted_by_id: int | None = None,
                          application_id: int | None = None,
                          idempotency_key: str | None = None) -> sa.Row:
    _check_time(uow, at)
    media_ids = await check_status_draft(uow, author_id=author_id, draft=draft,
                                         posted_by_id=posted_by_id)
    await _check_room(uow, author_id, at)
    scheduled_id = await uow.scheduled_statuses.add(
        account_id=author_id, posted_by_id=posted_by_id, application_id=application_id,
        scheduled_at=at, params=draft_params(draft) | {"idempotency": idempotency_key})
    await uow.media.reserve_for_scheduled(scheduled_id, media_ids)
    await _publish_at(uow, scheduled_id, at)
    return await uow.scheduled_statuses.get(scheduled_id)


async def reschedule_status(uow: UnitOfWork, *, account_id: int, scheduled_id: int,
                            at: datetime) -> sa.Row:
    scheduled = await own_scheduled_status(uow, account_id=account_id,
                                           scheduled_id=scheduled_id)
    _check_time(uow, at)
    await _check_room(uow, account_id, at, excluding=scheduled.id)
    await uow.scheduled_statuses.reschedule(scheduled.id, at)
    await _publish_at(uow, scheduled.id, at)
    return await uow.scheduled_statuses.get(scheduled.id)


async def cancel_scheduled_status(uow: UnitOfWork, *, account_id: int,
                                  scheduled_id: int) -> None:
    """Its uploads are free again (the foreign key sees to that), as in Mastodon: they may be
    posted otherwise, or are cleaned away with other abandoned uploads."""
    scheduled = await own_scheduled_status(uow, account_id=account_id,
                                           scheduled_id=scheduled_id)
    await uow.scheduled_statuses.delete(scheduled.id)


async def own_scheduled_status(uow: UnitOfWork, *, account_id: int,
                               scheduled_id: int) -> sa.Row:
    """Only its account sees a scheduled status; to anyone else it does not exist."""
    scheduled = await uow.scheduled_statuses.get(scheduled_id)
    if scheduled is None or scheduled.account_id != account_id:
        raise NotFound()
    return scheduled


def _check_time(uow: UnitOfWork, at: datetime) -> None:
    lead = timedelta(seconds=uow.settings.schedule_min_lead_seconds)
    if at < utcnow() + lead:
        raise ValidationFailed("Scheduled time must be at least %(lead)s in the future", lead=lead)
    if at.year >= 9999:  # the calendar's last day: no day follows it to count posts up to
        raise ValidationFailed("Scheduled time is too far in the future")


async def _check_room(uow: UnitOfWork, account_id: int, at: datetime, *,
                      excluding: int | None = None) -> None:
    if await uow.scheduled_statuses.count(account_id, excluding=excluding) >= MAX_SCHEDULED:
        raise ValidationFailed("You can schedule at most %(max_scheduled)s statuses",
                               max_scheduled=MAX_SCHEDULED)
    day = at.replace(hour=0, minute=0, second=0, microsecond=0)
    on_that_day = await uow.scheduled_statuses.count(
        account_id, between=(day, day + timedelta(days=1)), excluding=excluding)
    if on_that_day >= MAX_SCHEDULED_PER_DAY:
        raise ValidationFailed(
            "You can schedule at most %(maximum)s statuses for one day",
            maximum=MAX_SCHEDULED_PER_DAY)


async def _publish_at(uow: UnitOfWork, scheduled_id: int, at: datetime) -> None:
    await uow.enqueue(PublishScheduledStatus(scheduled_status_id=scheduled_id),
                      delay=max(at - utcnow(), timedelta(0)))
