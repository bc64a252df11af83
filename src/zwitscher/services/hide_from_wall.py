"""Moderate a live event's wall: an organiser takes a post off it (it disappears from every
open wall at once, and is never served to the wall again; the post itself stays where it is),
or renews the wall's secret link (every open wall on the old link ends, and the old link
answers 404 from then on)."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import EventEvent, event_channel
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound
from zwitscher.services.see_event import Person, organise_event


async def hide_from_wall(uow: UnitOfWork, *, person: Person, event_id: int,
                         status_id: int) -> None:
    event = (await organise_event(uow, person=person, event_id=event_id)).event
    if await uow.statuses.get_visible(status_id, person.account_id) is None:
        raise NotFound()
    await uow.event_posts.hide(event_id=event.id, status_id=status_id,
                               hidden_by_id=person.account_id, now=utcnow())
    uow.publish(event_channel(event.id), EventEvent.HIDDEN, str(status_id))


async def renew_wall_secret(uow: UnitOfWork, *, person: Person, event_id: int) -> None:
    event = (await organise_event(uow, person=person, event_id=event_id)).event
    await uow.live_events.update(event.id, wall_generation=event.wall_generation + 1,
                            updated_at=utcnow())
    uow.publish(event_channel(event.id), EventEvent.RENEWED, str(event.wall_generation + 1))
