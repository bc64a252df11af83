"""See a live event: whether the reader may (`policies/events.py`), and in what part (an
organiser, a participant). Every other event service starts here, so the audience is checked
the same way on every path: the API, the web pages, the streams, the calendar files.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, NotFound, Unauthorized
from zwitscher.policies.events import INVITEES


@dataclass(frozen=True, slots=True)
class Person:
    """Who reads or acts: a person (also when their token acts for a brand), or nobody
    signed in (`account_id` None)."""

    account_id: int | None
    role: str | None

    @property
    def signed_in(self) -> bool:
        return self.account_id is not None


ANONYMOUS = Person(None, None)


@dataclass(frozen=True, slots=True)
class Seen:
    event: sa.Row
    organiser: bool
    # The reader's participation, if they were invited or answered.
    participant: sa.Row | None


async def see_event(uow: UnitOfWork, *, person: Person, event_id: int) -> Seen:
    """The event, if the person may see it; 404 (saying nothing of whether it exists)
    otherwise."""
    event = await uow.live_events.get(event_id)
    if event is None or not await uow.live_events.sees(event_id, person.account_id):
        raise NotFound()
    return Seen(event, await uow.live_events.is_organiser(event_id, person.account_id),
                await uow.event_participants.of_account(event_id, person.account_id))


async def organise_event(uow: UnitOfWork, *, person: Person, event_id: int) -> Seen:
    """The event, for one of its organisers."""
    seen = await see_event(uow, person=person, event_id=event_id)
    if not seen.organiser:
        raise Forbidden("Only the event's organisers may do this")
    return seen


async def take_part(uow: UnitOfWork, *, person: Person, event_id: int) -> Seen:
    """The event, for someone signed in who may take part: whoever sees it, and for an event
    of invitees only those invited (and the organisers)."""
    if not person.signed_in:
        raise Unauthorized("Sign in to take part in the event")
    seen = await see_event(uow, person=person, event_id=event_id)
    if seen.event.audience == INVITEES and not seen.organiser and (
            seen.participant is None or not seen.participant.invited):
        raise Forbidden("Only those invited take part in this event")
    return seen
