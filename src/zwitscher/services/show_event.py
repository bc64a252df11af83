"""Read a live event as the reader may: its details and their part in it, its timeline, its
participants (for the organisers), its calendar file; and an invitation through its link.
Every read starts with `see_event`, so a reader who may not see the event gets 404 on every
path."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.calendars import CalendarEntry, calendar_file
from zwitscher.domain.clock import utcnow
from zwitscher.policies.events import HELD, PUBLIC
from zwitscher.services.answer_event import InvitationNotFound
from zwitscher.services.event_links import (
    invitation_path,
    participant_of,
    secret_wall_path,
    wall_path,
    wall_secret,
)
from zwitscher.services.see_event import Person, organise_event, see_event
from zwitscher.views.events import EventView, event_path, load_event


async def show_event(uow: UnitOfWork, *, person: Person, event_id: int) -> EventView:
    seen = await see_event(uow, person=person, event_id=event_id)
    return await load_event(uow, seen.event, organiser=seen.organiser,
                            participant=seen.participant, signed_in=person.signed_in,
                            now=utcnow())


async def event_timeline(uow: UnitOfWork, *, person: Person, event_id: int,
                         page: Page) -> list[sa.Row]:
    """The event's posts the reader may see, newest first."""
    seen = await see_event(uow, person=person, event_id=event_id)
    return await uow.event_posts.timeline(seen.event, person.account_id, page)


async def event_participants(uow: UnitOfWork, *, person: Person,
                             event_id: int) -> tuple[sa.Row, list[sa.Row]]:
    """The event and its participants with their answers and consents (its organisers)."""
    seen = await organise_event(uow, person=person, event_id=event_id)
    return seen.event, await uow.event_participants.of_event(seen.event.id)


def _entry(event: sa.Row, url: str) -> CalendarEntry:
    return CalendarEntry(event.id, event.title, event.description, event.place,
                         event.starts_at, event.ends_at, url, event.created_at,
                         event.updated_at)


async def event_calendar(uow: UnitOfWork, *, person: Person, event_id: int,
                         origin: str) -> tuple[sa.Row, bytes]:
    seen = await see_event(uow, person=person, event_id=event_id)
    return seen.event, calendar_file(_entry(seen.event, origin + event_path(seen.event.id)))


@dataclass(frozen=True, slots=True)
class Invitation:
    event: EventView
    participant: sa.Row


async def show_invitation(uow: UnitOfWork, *, token: str) -> Invitation:
    """An invitation through its link (404 for one that is not genuine): the event as its
    invitee sees it."""
    participant = await participant_of(uow, token)
    if participant is None:
        raise InvitationNotFound()
    event = await uow.live_events.get(participant.event_id)
    view = await load_event(uow, event, organiser=False, participant=participant,
                            signed_in=False, now=utcnow())
    return Invitation(view, participant)


async def invitation_calendar(uow: UnitOfWork, *, token: str,
                              origin: str) -> tuple[sa.Row, bytes]:
    participant = await participant_of(uow, token)
    if participant is None:
        raise InvitationNotFound()
    event = await uow.live_events.get(participant.event_id)
    return event, calendar_file(_entry(event, origin + invitation_path(token)))



@dataclass(frozen=True, slots=True)
class OrganiserTools:
    """What the event's page shows its organisers besides the event: who takes part, the
    posts held for review, the wall's address and the posts on it now."""

    participants: list[sa.Row]
    held: list[sa.Row]
    wall_path: str
    wall_status_ids: list[int]


async def organiser_tools(uow: UnitOfWork, *, person: Person, event_id: int,
                          wall_posts: int) -> OrganiserTools:
    seen = await organise_event(uow, person=person, event_id=event_id)
    event = seen.event
    path = wall_path(event.id) if event.audience == PUBLIC \
        else secret_wall_path(await wall_secret(uow, event))
    wall = await uow.event_posts.wall(event, limit=wall_posts)
    return OrganiserTools(await uow.event_participants.of_event(event.id),
                          await uow.event_posts.held_of(event.id, state=HELD), path,
                          [row.id for row in wall])
