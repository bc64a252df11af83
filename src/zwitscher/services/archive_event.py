"""Archive a live event: at its end (the job queued when it was made or moved), or earlier by
one of its organisers ("end now"). From then on it takes no posts and no answers, its hashtag
is free for a later event, its walls say it ended; its page and its timeline (the posts of
its time) stay readable to its audience, and it may become a story (`turn_event_into_story`).
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import EventEvent, event_channel
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.jobs import ArchiveEvent
from zwitscher.services.see_event import Person, organise_event


async def archive_at_its_end(uow: UnitOfWork, *, event_id: int) -> None:
    event = await uow.live_events.get(event_id)
    if event is None or event.archived_at is not None:
        return
    now = utcnow()
    if event.ends_at > now:
        # Its end was moved later (or the clock moved): wait for it. A job for the new end
        # was queued too; whichever runs second finds the event archived.
        await uow.enqueue(ArchiveEvent(event_id=event.id), delay=event.ends_at - now)
        return
    await _archive(uow, event)


async def archive_event_now(uow: UnitOfWork, *, person: Person, event_id: int) -> sa.Row:
    event = (await organise_event(uow, person=person, event_id=event_id)).event
    if not await _archive(uow, event):
        raise ValidationFailed("The event is archived already")
    return await uow.live_events.get(event.id)


async def _archive(uow: UnitOfWork, event: sa.Row) -> bool:
    now = utcnow()
    # Ended early: the archive says when it really ended.
    ends_at = now if event.starts_at <= now < event.ends_at else event.ends_at
    if not await uow.live_events.update(event.id, live_only=True, archived_at=now, ends_at=ends_at,
                                   hashtag_key=None, updated_at=now):
        return False
    uow.publish(event_channel(event.id), EventEvent.ARCHIVED, str(event.id))
    return True
