"""Live events under our API (docs/events.md): the events, their timelines and streams.

    POST  /api/zwitscher/v1/events                       create one (write:events)
    GET   /api/zwitscher/v1/events?list=upcoming         upcoming | mine | archived
    GET   /api/zwitscher/v1/events/{id}                  one
    PATCH /api/zwitscher/v1/events/{id}                  change it (organisers)
    GET   /api/zwitscher/v1/events/{id}/calendar.ics     its calendar file
    GET   /api/zwitscher/v1/events/{id}/statuses         its timeline
    POST  /api/zwitscher/v1/events/{id}/statuses         post through it: 200, or 202 held
    GET   /api/zwitscher/v1/events/{id}/stream           its timeline live (SSE)

Participants: `event_participants.py`; review, wall, archive and story: `event_moderation.py`.
Reads take an optional token (with `read:events`): a public event is for anyone, the others
for their audience; everyone else gets 404.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response, StreamingResponse
from typing_extensions import TypedDict

from zwitscher import i18n
from zwitscher.api.deps import OptionalViewer, Origin, path_id, scoped, uows
from zwitscher.api.entities import Status
from zwitscher.api.operations import declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Id, Params, iso_datetime, parse, with_examples
from zwitscher.api.presenters.statuses import present_status, render_statuses
from zwitscher.api.responses import JSON, RawJSON, client_language
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.calendars import MEDIA_TYPE, file_name
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.services.change_event import change_event
from zwitscher.services.check_event_consent import held_because
from zwitscher.services.create_event import EventDraft, create_event
from zwitscher.services.list_events import list_events
from zwitscher.services.oauth import Viewer
from zwitscher.services.post_to_event import EventPostDraft, post_to_event
from zwitscher.services.see_event import ANONYMOUS, Person
from zwitscher.services.show_event import event_calendar, event_timeline, show_event
from zwitscher.streaming.events import Token, event_stream
from zwitscher.views.events import event_data
from zwitscher.views.press_conferences import iso

PATH = "/api/zwitscher/v1/events"
router = APIRouter(prefix=PATH)


class EventCreate(Params):
    model_config = with_examples({
        "title": "Summer party", "starts_at": "2030-06-01T16:00:00Z",
        "ends_at": "2030-06-01T22:00:00Z", "hashtag": "summer2030", "place": "Courtyard",
        "audience": "internal"})

    title: str = ""
    description: str = ""
    place: str = ""
    starts_at: str = ""
    ends_at: str = ""
    hashtag: str = ""
    audience: str = "public"
    group_ids: list[Id] = []


class EventUpdate(Params):
    title: str | None = None
    description: str | None = None
    place: str | None = None
    starts_at: str | None = None
    ends_at: str | None = None
    hashtag: str | None = None


class EventList(Params):
    list: str = "upcoming"


class EventStatusCreate(Params):
    model_config = with_examples({"status": "The keynote starts now"})

    status: str = ""
    spoiler_text: str = ""
    sensitive: bool | None = None
    language: str | None = None
    media_ids: list[Id] = []


class EventPerson(TypedDict):
    id: str
    username: str
    acct: str
    display_name: str


class EventGroup(TypedDict):
    id: str
    name: str


class EventParticipation(TypedDict):
    id: str
    answer: str  # pending, accepted, declined or maybe
    invited: bool
    consent: dict[str, str]  # named, quoted, pictures: yes, no or unknown
    consent_counts_as: dict[str, bool]


class LiveEvent(TypedDict):
    id: str
    title: str
    description: str
    place: str
    starts_at: str
    ends_at: str
    hashtag: str
    audience: str  # public, internal, group or invitees
    groups: list[EventGroup]  # for organisers
    state: str  # upcoming, running, ended or archived
    taking_posts: bool
    organisers: list[EventPerson]
    answers: dict[str, int]
    archived_at: str | None
    story_id: str | None
    created_at: str
    url: str
    calendar_url: str
    organiser: bool
    may_take_part: bool
    participation: EventParticipation | None


class HeldReason(TypedDict):
    consent: str  # named, quoted or pictures
    account: EventPerson
    message: str


class HeldEventPost(TypedDict):
    id: str
    event_id: str
    state: str  # held, published or discarded
    text: str
    spoiler_text: str
    media_ids: list[str]
    author_id: str
    reasons: list[HeldReason]
    status_id: str | None
    created_at: str
    decided_at: str | None


class EventPostHeld(TypedDict):
    held: HeldEventPost
    error: str


def person_of(viewer: Viewer | None) -> Person:
    """The person behind a token (also one acting for a brand); a token without
    `read:events` reads nothing here."""
    if viewer is None:
        return ANONYMOUS
    if not viewer.may("read:events"):
        raise Forbidden("This action is outside the authorized scopes")
    return writer_of(viewer)


def writer_of(viewer: Viewer) -> Person:
    return Person(viewer.person_id or viewer.account_id, viewer.role)


async def event_answer(request: Request, event_id: int, person: Person, origin: str) -> JSON:
    async with uows(request).read() as uow:
        view = await show_event(uow, person=person, event_id=event_id)
    return JSON(event_data(view, origin))


def held_data(held, language: str) -> dict:
    """A held post as JSON (`HeldEventPost`), its reasons in `language`."""
    reasons = []
    for reason in held.reasons:
        text, values = held_because(reason)
        reasons.append({"consent": reason["consent"], "account": {
            "id": str(reason["account_id"]), "username": reason["username"],
            "acct": reason["username"], "display_name": reason.get("display_name", "")},
            "message": i18n.translations(language).gettext(text) % values})
    return {"id": str(held.id), "event_id": str(held.event_id), "state": held.state,
            "text": held.text, "spoiler_text": held.spoiler_text,
            "media_ids": [str(media_id) for media_id in held.media_ids],
            "author_id": str(held.author_id), "reasons": reasons,
            "status_id": str(held.status_id) if held.status_id else None,
            "created_at": iso(held.created_at), "decided_at": iso(held.decided_at)}


def _moment(raw: str | None, name: str):
    if not raw:
        raise ValidationFailed(f"{name} must be an ISO 8601 date and time")
    return iso_datetime(raw, name)


def _group_ids(raw: list) -> tuple[int, ...]:
    ids = [parse_id(str(value)) for value in raw[:50]]
    if None in ids:
        raise NotFound("No such group")
    return tuple(ids)


@router.post("")
@declare(returns=LiveEvent, takes=EventCreate, errors=(403, 404))
async def create(request: Request, origin: Origin,
                 viewer: Viewer = Depends(scoped("write:events"))) -> JSON:
    """Create an event; you become its first organiser (people of the organisation)."""
    form = await parse(request, EventCreate)
    draft = EventDraft(title=form.title, description=form.description, place=form.place,
                       starts_at=_moment(form.starts_at, "starts_at"),
                       ends_at=_moment(form.ends_at, "ends_at"), hashtag=form.hashtag,
                       audience=form.audience, group_ids=_group_ids(form.group_ids))
    writer = writer_of(viewer)
    async with uows(request).write() as uow:
        event = await create_event(uow, person=writer, draft=draft)
    return await event_answer(request, event.id, writer, origin)


@router.get("")
@declare(returns=list[LiveEvent], takes=EventList, paged=True)
async def index(request: Request, origin: Origin, viewer: OptionalViewer) -> JSON:
    """The events you may see: `upcoming` (soonest first), `mine`, `archived`."""
    kind = (await parse(request, EventList)).list
    # `upcoming` is soonest first, no order of ids: it pages by `offset` alone.
    page = page_from(request)
    async with uows(request).read() as uow:
        views = await list_events(uow, person=person_of(viewer), kind=kind, page=page)
    response = JSON([event_data(view, origin) for view in views])
    if kind != "upcoming":
        link_header(request, response, [view.id for view in views])
    return response


@router.get("/{event_id}")
@declare(returns=LiveEvent)
async def show(request: Request, event_id: str, origin: Origin,
               viewer: OptionalViewer) -> JSON:
    return await event_answer(request, path_id(event_id), person_of(viewer), origin)


@router.patch("/{event_id}")
@declare(returns=LiveEvent, takes=EventUpdate, errors=(403,))
async def update(request: Request, event_id: str, origin: Origin,
                 viewer: Viewer = Depends(scoped("write:events"))) -> JSON:
    """Change the title, description, place, time or hashtag (organisers; not the
    audience)."""
    form = await parse(request, EventUpdate)
    writer = writer_of(viewer)
    async with uows(request).write() as uow:
        event = await uow.live_events.get(path_id(event_id))
        if event is None:
            raise NotFound()
        draft = EventDraft(
            title=event.title if form.title is None else form.title,
            description=event.description if form.description is None else form.description,
            place=event.place if form.place is None else form.place,
            starts_at=event.starts_at if form.starts_at is None
            else _moment(form.starts_at, "starts_at"),
            ends_at=event.ends_at if form.ends_at is None else _moment(form.ends_at, "ends_at"),
            hashtag=event.hashtag if form.hashtag is None else form.hashtag)
        await change_event(uow, person=writer, event_id=event.id, draft=draft)
    return await event_answer(request, path_id(event_id), writer, origin)


@router.get("/{event_id}/calendar.ics")
@declare(returns=str, media_type="text/calendar")
async def calendar(request: Request, event_id: str, origin: Origin,
                   viewer: OptionalViewer) -> Response:
    """The event as a calendar file (iCalendar), as `/web/events/{id}.ics` gives it."""
    async with uows(request).read() as uow:
        event, body = await event_calendar(uow, person=person_of(viewer),
                                           event_id=path_id(event_id), origin=origin)
    return Response(body, media_type=MEDIA_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{file_name(event.title)}"'})


@router.get("/{event_id}/statuses")
@declare(returns=list[Status], paged=True)
async def statuses(request: Request, event_id: str, origin: Origin,
                   viewer: OptionalViewer) -> RawJSON:
    """The event's timeline: the posts with its hashtag you may see, newest first."""
    person = person_of(viewer)
    page = page_from(request)

    async def read(uow: UnitOfWork) -> RawJSON:
        rows = await event_timeline(uow, person=person, event_id=path_id(event_id), page=page)
        ids = [row.id for row in rows]
        presented = await render_statuses(uow, ids, viewer_id=person.account_id,
                                          origin=origin, filter_context="public")
        response = RawJSON(presented.json_array())
        link_header(request, response, ids)
        return response

    async with uows(request).read() as uow:
        return await read(uow)


@router.post("/{event_id}/statuses")
@declare(returns=Status, takes=EventStatusCreate, answers={202: EventPostHeld},
         errors=(403,))
async def post(request: Request, event_id: str, origin: Origin,
               viewer: Viewer = Depends(scoped("write:events"))) -> JSON:
    """Post through the event (its hashtag is added). A post that mentions a participant
    against their consent is held for the organisers' review: 202, with the reasons."""
    form = await parse(request, EventStatusCreate)
    media_ids = tuple(parse_id(str(raw)) for raw in form.media_ids[:5])
    if None in media_ids:
        raise ValidationFailed("Media attachments must be given by their ids")
    draft = EventPostDraft(text=form.status, spoiler_text=form.spoiler_text[:1000],
                           sensitive=form.sensitive,
                           language=form.language[:16] if form.language else None,
                           media_ids=media_ids)
    writer = writer_of(viewer)
    async with uows(request).write() as uow:
        posted = await post_to_event(uow, person=writer, event_id=path_id(event_id),
                                     draft=draft, application_id=viewer.app_id)
        if posted.status is not None:
            return JSON(await present_status(uow, posted.status, viewer_id=writer.account_id,
                                             origin=origin))
        language = client_language(request)
        held = held_data(posted.held, language)
    return JSON({"held": held, "error": " ".join(reason["message"]
                                                  for reason in held["reasons"])},
                status_code=202)


@router.get("/{event_id}/stream")
@declare(returns=str, media_type="text/event-stream")
async def stream(request: Request, event_id: str,
                 viewer: OptionalViewer) -> StreamingResponse:
    """The event's timeline live, as Server-Sent Events (docs/events.md)."""
    token = Token(viewer.account_id, viewer.token_id) if viewer and viewer.account_id else None
    return await event_stream(uows=uows(request), broker=request.app.state.broker,
                              person=person_of(viewer), event_id=path_id(event_id),
                              token=token)
