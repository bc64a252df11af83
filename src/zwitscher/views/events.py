"""Live events as a reader sees them, and as the JSON the API answers.

What depends on the reader is decided when loading: whether they organise it (then the groups,
the wall's secret link and the participants' consents are theirs to see), and their own answer
and consents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.policies.events import (
    ANSWERS,
    CONSENTS,
    INVITEES,
    PENDING,
    PUBLIC,
    consents,
    state_now,
    takes_posts,
)
from zwitscher.views.accounts import AccountView, load_accounts
from zwitscher.views.press_conferences import iso, person_data


@dataclass(frozen=True, slots=True)
class Participation:
    """A participant as they (and the organisers) see their part: their one current answer
    and their consents as given (`yes`, `no`, `unknown`) and as the rules read them."""

    id: int
    answer: str
    invited: bool
    consent: dict[str, str]
    counts_as: dict[str, bool]


@dataclass(frozen=True, slots=True)
class EventView:
    id: int
    title: str
    description: str
    place: str
    starts_at: datetime
    ends_at: datetime
    hashtag: str
    audience: str
    # The groups of an event of groups, for its organisers: (id, name).
    groups: tuple[tuple[int, str], ...]
    state: str
    taking_posts: bool
    organisers: tuple[AccountView, ...]
    # How many answered what (pending: not yet).
    answers: dict[str, int]
    archived_at: datetime | None
    story_id: int | None
    created_at: datetime
    # The reader's part.
    organiser: bool
    participation: Participation | None
    may_take_part: bool

    @property
    def path(self) -> str:
        return event_path(self.id)

    @property
    def public(self) -> bool:
        return self.audience == PUBLIC


def event_path(event_id: int) -> str:
    return f"/web/events/{event_id}"


def participation(row: sa.Row | None, *, public: bool) -> Participation | None:
    if row is None:
        return None
    given = {name: getattr(row, f"consent_{name}") for name in CONSENTS}
    return Participation(row.id, row.answer, row.invited, given,
                         {name: consents(value, public=public) for name, value in given.items()})


async def load_event(uow: UnitOfWork, event: sa.Row, *, organiser: bool,
                     participant: sa.Row | None, signed_in: bool,
                     now: datetime) -> EventView:
    organiser_ids = await uow.live_events.organiser_ids(event.id)
    people = await load_accounts(uow, organiser_ids)
    groups = tuple((row.id, row.name) for row in await uow.live_events.groups_of(event.id)) \
        if organiser else ()
    counts = await uow.event_participants.answer_counts(event.id)
    invited_only = event.audience == INVITEES and not organiser and (
        participant is None or not participant.invited)
    return EventView(
        id=event.id, title=event.title, description=event.description, place=event.place,
        starts_at=event.starts_at, ends_at=event.ends_at, hashtag=event.hashtag,
        audience=event.audience, groups=groups, state=state_now(event, now),
        taking_posts=takes_posts(event, now),
        organisers=tuple(people[i] for i in organiser_ids if i in people),
        answers={answer: counts.get(answer, 0) for answer in (*ANSWERS, PENDING)},
        archived_at=event.archived_at, story_id=event.story_id, created_at=event.created_at,
        organiser=organiser,
        participation=participation(participant, public=event.audience == PUBLIC),
        may_take_part=signed_in and not invited_only)


async def load_events(uow: UnitOfWork, rows: Sequence[sa.Row], *, now: datetime
                      ) -> list[EventView]:
    """Events for a list (no reader's part: the list links each one's page)."""
    views = []
    for row in rows:
        views.append(await load_event(uow, row, organiser=False, participant=None,
                                      signed_in=False, now=now))
    return views


def participation_data(part: Participation | None) -> dict | None:
    if part is None:
        return None
    return {"id": str(part.id), "answer": part.answer, "invited": part.invited,
            "consent": dict(part.consent), "consent_counts_as": dict(part.counts_as)}


def event_data(event: EventView, origin: str) -> dict:
    """An event as JSON (the API's `LiveEvent`)."""
    return {
        "id": str(event.id), "title": event.title, "description": event.description,
        "place": event.place, "starts_at": iso(event.starts_at), "ends_at": iso(event.ends_at),
        "hashtag": event.hashtag, "audience": event.audience,
        "groups": [{"id": str(group_id), "name": name} for group_id, name in event.groups],
        "state": event.state, "taking_posts": event.taking_posts,
        "organisers": [person_data(person) for person in event.organisers],
        "answers": dict(event.answers), "archived_at": iso(event.archived_at),
        "story_id": str(event.story_id) if event.story_id else None,
        "created_at": iso(event.created_at), "url": origin + event.path,
        "calendar_url": origin + event.path + ".ics",
        "organiser": event.organiser, "may_take_part": event.may_take_part,
        "participation": participation_data(event.participation)}


def participant_data(row: sa.Row, *, public: bool) -> dict:
    """A participant as the organisers see them (the API's `EventParticipant`): `username`,
    `display_name` come from the list's join of accounts."""
    part = participation(row, public=public)
    account = None if row.account_id is None else {
        "id": str(row.account_id), "username": row.username, "acct": row.username,
        "display_name": row.display_name}
    return {**participation_data(part), "account": account, "email": row.email,
            "name": row.name or (row.display_name or row.username if account else ""),
            "answered_at": iso(row.answered_at), "created_at": iso(row.created_at)}
