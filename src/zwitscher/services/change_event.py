"""Change a live event: its organisers correct its title, description, place, time or
hashtag while it is not archived. Its audience stays as it was made: the posts made through
it were addressed to that audience.

A moved end gets a new archiving job; the job queued for the old end finds the event not yet
at its end and does nothing (`archive_event`).
"""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.jobs import ArchiveEvent
from zwitscher.services.create_event import EventDraft, check_event
from zwitscher.services.see_event import Person, organise_event


async def change_event(uow: UnitOfWork, *, person: Person, event_id: int,
                       draft: EventDraft) -> sa.Row:
    """`draft` holds the event's values with the changes (its audience and groups are not
    read)."""
    event = (await organise_event(uow, person=person, event_id=event_id)).event
    if event.archived_at is not None:
        raise ValidationFailed("The event is archived: it can no longer be changed")
    checked = await check_event(uow, replace(draft, audience=event.audience),
                                event_id=event.id)
    now = utcnow()
    if not await uow.live_events.update(
            event.id, live_only=True, title=checked.title, description=checked.description,
            place=checked.place, starts_at=draft.starts_at, ends_at=draft.ends_at,
            hashtag=checked.hashtag, hashtag_key=checked.hashtag.lower(), updated_at=now):
        raise ValidationFailed("The event is archived: it can no longer be changed")
    if draft.ends_at != event.ends_at:
        await uow.enqueue(ArchiveEvent(event_id=event.id), delay=draft.ends_at - now)
    return await uow.live_events.get(event.id)
