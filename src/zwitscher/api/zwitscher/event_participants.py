"""A live event's participants under our API (docs/events.md).

    GET    /api/zwitscher/v1/events/{id}/participants          answers and consents (organisers)
    POST   /api/zwitscher/v1/events/{id}/invitations           invite accounts and addresses
    POST   /api/zwitscher/v1/events/{id}/rsvp                  answer: accept, decline, maybe
    PUT    /api/zwitscher/v1/events/{id}/consent               named, quoted, pictures
    POST   /api/zwitscher/v1/events/{id}/organisers            add a co-organiser
    DELETE /api/zwitscher/v1/events/{id}/organisers/{account}  take one off
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from typing_extensions import TypedDict

from zwitscher.api.deps import Origin, path_id, scoped, uows
from zwitscher.api.operations import declare
from zwitscher.api.params import Id, Params, parse, with_examples
from zwitscher.api.responses import JSON
from zwitscher.api.zwitscher.events import (
    PATH,
    EventParticipation,
    EventPerson,
    LiveEvent,
    event_answer,
    writer_of,
)
from zwitscher.domain.errors import NotFound
from zwitscher.domain.ids import parse_id
from zwitscher.policies.events import PUBLIC
from zwitscher.services.answer_event import answer_event
from zwitscher.services.change_event_organisers import (
    add_event_organiser,
    remove_event_organiser,
)
from zwitscher.services.give_event_consent import give_event_consent
from zwitscher.services.invite_to_event import invite_to_event
from zwitscher.services.oauth import Viewer
from zwitscher.services.show_event import event_participants
from zwitscher.views.events import participant_data, participation, participation_data

router = APIRouter(prefix=PATH)


class Invitations(Params):
    model_config = with_examples({"emails": ["guest@example.org"]})

    account_ids: list[Id] = []
    emails: list[str] = []


class Rsvp(Params):
    model_config = with_examples({"answer": "accept"})

    answer: str = ""


class Consent(Params):
    model_config = with_examples({"named": "yes", "quoted": "no", "pictures": "unknown"})

    named: str | None = None
    quoted: str | None = None
    pictures: str | None = None


class Organiser(Params):
    account_id: Id = ""


class EventParticipant(TypedDict):
    id: str
    answer: str
    invited: bool
    consent: dict[str, str]
    consent_counts_as: dict[str, bool]
    account: EventPerson | None
    email: str | None
    name: str
    answered_at: str | None
    created_at: str


def _account_ids(raw: list) -> list[int]:
    ids = [parse_id(str(value)) for value in raw[:101]]
    if None in ids:
        raise NotFound("No such person")
    return ids


async def _participants(request: Request, event_id: int, viewer: Viewer,
                        only: set[int] | None = None) -> JSON:
    async with uows(request).read() as uow:
        event, rows = await event_participants(uow, person=writer_of(viewer),
                                               event_id=event_id)
    public = event.audience == PUBLIC
    return JSON([participant_data(row, public=public) for row in rows
                 if only is None or row.id in only])


@router.get("/{event_id}/participants")
@declare(returns=list[EventParticipant], errors=(403,))
async def participants(request: Request, event_id: str,
                       viewer: Viewer = Depends(scoped("read:events"))) -> JSON:
    """Who was invited or answered, with their answers and consents (organisers)."""
    return await _participants(request, path_id(event_id), viewer)


@router.post("/{event_id}/invitations")
@declare(returns=list[EventParticipant], takes=Invitations, errors=(403, 404))
async def invite(request: Request, event_id: str,
                 viewer: Viewer = Depends(scoped("write:events"))) -> JSON:
    """Invite accounts and e-mail addresses; each is e-mailed the invitation (organisers)."""
    form = await parse(request, Invitations)
    async with uows(request).write() as uow:
        invited = await invite_to_event(uow, person=writer_of(viewer),
                                        event_id=path_id(event_id),
                                        account_ids=_account_ids(form.account_ids),
                                        emails=[email[:400] for email in form.emails[:101]])
    return await _participants(request, path_id(event_id), viewer, set(invited))


@router.post("/{event_id}/rsvp")
@declare(returns=EventParticipation, takes=Rsvp, errors=(403, 429))
async def rsvp(request: Request, event_id: str,
               viewer: Viewer = Depends(scoped("write:events"))) -> JSON:
    """Answer: `accept`, `decline` or `maybe`; a new answer replaces the one before."""
    form = await parse(request, Rsvp)
    async with uows(request).write() as uow:
        row = await answer_event(uow, person=writer_of(viewer), event_id=path_id(event_id),
                                 answer=form.answer)
        event = await uow.live_events.get(row.event_id)
    return JSON(participation_data(participation(row, public=event.audience == PUBLIC)))


@router.put("/{event_id}/consent")
@declare(returns=EventParticipation, takes=Consent, errors=(403,))
async def consent(request: Request, event_id: str,
                  viewer: Viewer = Depends(scoped("write:events"))) -> JSON:
    """Whether posts from the event may name you, quote you, show you in pictures: `yes`,
    `no` or `unknown` each (those not given stay as they are)."""
    form = await parse(request, Consent)
    async with uows(request).write() as uow:
        row = await give_event_consent(
            uow, person=writer_of(viewer), event_id=path_id(event_id),
            consent={"named": form.named, "quoted": form.quoted, "pictures": form.pictures})
        event = await uow.live_events.get(row.event_id)
    return JSON(participation_data(participation(row, public=event.audience == PUBLIC)))


@router.post("/{event_id}/organisers")
@declare(returns=LiveEvent, takes=Organiser, errors=(403, 404))
async def add_organiser(request: Request, event_id: str, origin: Origin,
                        viewer: Viewer = Depends(scoped("write:events"))) -> JSON:
    """Add a co-organiser: they moderate the event with you (organisers)."""
    account_id = parse_id(str((await parse(request, Organiser)).account_id))
    if account_id is None:
        raise NotFound("No such person")
    async with uows(request).write() as uow:
        await add_event_organiser(uow, person=writer_of(viewer), event_id=path_id(event_id),
                                  account_id=account_id)
    return await event_answer(request, path_id(event_id), writer_of(viewer), origin)


@router.delete("/{event_id}/organisers/{account_id}")
@declare(returns=LiveEvent, errors=(403,))
async def remove_organiser(request: Request, event_id: str, account_id: str, origin: Origin,
                           viewer: Viewer = Depends(scoped("write:events"))) -> JSON:
    """Take a co-organiser off (an event keeps at least one organiser)."""
    async with uows(request).write() as uow:
        await remove_event_organiser(uow, person=writer_of(viewer),
                                     event_id=path_id(event_id),
                                     account_id=path_id(account_id))
    return await event_answer(request, path_id(event_id), writer_of(viewer), origin)
