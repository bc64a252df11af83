"""Live events on the web: the lists (and the form that makes one), an event's page with its
answer, consent, composer and timeline, and its calendar file.

    /web/events                     upcoming, mine, archived (`?list=`); the form for a new one
    /web/events/{id}                the page: details, answer, consent, compose, timeline (live),
                                    and for organisers their tools (`event_tools.py`)
    /web/events/{id}.ics            the calendar file
    /web/events/{id}/stream         its timeline's events (SSE, by the session)
    /web/events/{id}/rsvp | consent  the forms of the page
    /web/events/compose             a post from the event (with its attachments)

A public event's page is for anyone, signed in or not; every other event's for its audience
(404 for everyone else). Every form is a plain form that answers 303 back to the page.
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import origin, uows
from zwitscher.api.pagination import page_from
from zwitscher.db.pagination import Page
from zwitscher.domain.calendars import MEDIA_TYPE, file_name
from zwitscher.domain.errors import DomainError, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.policies.events import AUDIENCES, CONSENTS, PUBLIC
from zwitscher.services.answer_event import answer_event
from zwitscher.services.attach_media import MAX_ATTACHMENTS
from zwitscher.services.check_event_consent import held_because
from zwitscher.services.create_event import (
    MAX_DESCRIPTION,
    MAX_HASHTAG,
    MAX_PLACE,
    MAX_TITLE,
    EventDraft,
    create_event,
)
from zwitscher.services.delete_media import forget_files
from zwitscher.services.give_event_consent import give_event_consent
from zwitscher.services.list_events import KINDS, list_events
from zwitscher.services.post_to_event import EventPostDraft, post_to_event
from zwitscher.services.review_held_post import held_posts
from zwitscher.services.see_event import ANONYMOUS, Person
from zwitscher.services.show_event import (
    event_calendar,
    event_timeline,
    organiser_tools,
    show_event,
)
from zwitscher.services.upload_media import upload_media
from zwitscher.streaming.events import Token, event_stream
from zwitscher.views.shown import show_statuses
from zwitscher.web.attachments import form_attachments
from zwitscher.web.browser import Browser, CurrentBrowser
from zwitscher.web.guards import GenuineForm, SignedIn
from zwitscher.web.local_times import local_moment, person_zone
from zwitscher.web.timeline import timeline_context

router = APIRouter()
PATH = "/web/events"
# Its own fixed path: the request limit lets a post with its attachments through here.
COMPOSE_PATH = PATH + "/compose"
LIST_SIZE = 20
WALL_POSTS_SHOWN = 10
DONE = {"answered", "consent", "posted", "held", "invited", "published", "discarded",
        "hidden", "renewed", "archived", "organiser", "created"}


def person_of(browser: Browser) -> Person:
    if browser.session is None:
        return ANONYMOUS
    return Person(browser.session.viewer.account_id, browser.user.role)


def reasons_of(held) -> list[tuple[str, dict]]:
    """A held post's reasons as the page translates them."""
    return [held_because(reason) for reason in held.reasons]


# The lists, and making an event.

async def _list_page(browser: Browser, *, status_code: int = 200, error: str | None = None,
                     form: dict | None = None) -> Response:
    person = person_of(browser)
    kind = browser.request.query_params.get("list", "upcoming")
    kind = kind if kind in KINDS else "upcoming"
    try:
        page = page_from(browser.request, default=LIST_SIZE, maximum=LIST_SIZE)
    except DomainError as exc:
        return browser.problem(exc)
    async with uows(browser.request).read() as uow:
        events = await list_events(uow, person=person, kind=kind, page=page)
        groups = await uow.groups.groups_of(person.account_id) if person.signed_in else []
    return browser.render(
        "events.html", status_code=status_code, events=events, kind=kind, error=error,
        form=form or {"audience": "internal"}, groups=groups, zone=person_zone(browser),
        audiences=AUDIENCES, max_title=MAX_TITLE, max_description=MAX_DESCRIPTION,
        max_place=MAX_PLACE, max_hashtag=MAX_HASHTAG,
        more=_more(kind, page, events))


def _more(kind: str, page: Page, events: list) -> str | None:
    """The next page's query: upcoming ones by offset, the others by id."""
    if len(events) < page.limit:
        return None
    if kind == "upcoming":
        return f"list={kind}&offset={page.offset + page.limit}"
    return f"list={kind}&max_id={events[-1].id}"


@router.get(PATH, include_in_schema=False)
async def events_page(browser: CurrentBrowser) -> Response:
    return await _list_page(browser)


@router.post(PATH, include_in_schema=False)
async def create(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    zone = person_zone(browser)
    group_ids = [parse_id(raw) for raw in (await request.form()).getlist("group_ids")[:50]]
    try:
        starts_at = local_moment(form.get("starts_at", ""), zone,
                                 "The start is not a date and time")
        ends_at = local_moment(form.get("ends_at", ""), zone, "The end is not a date and time")
        if starts_at is None or ends_at is None:
            raise ValidationFailed("Please say when the event starts and ends")
        draft = EventDraft(
            title=form.get("title", "")[:MAX_TITLE + 1],
            description=form.get("description", "")[:MAX_DESCRIPTION + 1],
            place=form.get("place", "")[:MAX_PLACE + 1], starts_at=starts_at, ends_at=ends_at,
            hashtag=form.get("hashtag", "")[:MAX_HASHTAG + 2],
            audience=form.get("audience", PUBLIC),
            group_ids=tuple(group_id for group_id in group_ids if group_id))
        async with uows(request).write() as uow:
            event = await create_event(uow, person=person_of(browser), draft=draft)
    except DomainError as exc:
        return await _list_page(browser, status_code=exc.status_code,
                                error=browser.explain(exc),
                                form={**form, "group_ids": [str(g) for g in group_ids]})
    return browser.redirect(f"{PATH}/{event.id}?done=created")


# An event's page.

async def event_page(browser: Browser, raw_id: str, *, status_code: int = 200,
                     error: str | None = None, form: dict | None = None) -> Response:
    person = person_of(browser)
    event_id = parse_id(raw_id) or 0
    path = f"{PATH}/{event_id}"
    try:
        page = page_from(browser.request)
        async with uows(browser.request).read() as uow:
            event = await show_event(uow, person=person, event_id=event_id)
            rows = await event_timeline(uow, person=person, event_id=event_id, page=page)
            context = await timeline_context(uow, browser, rows, page, path=path,
                                             filter_context="public")
            held = await held_posts(uow, person=person, event_id=event_id) \
                if person.signed_in else []
            tools = wall = None
            if event.organiser:
                tools = await organiser_tools(uow, person=person, event_id=event_id,
                                              wall_posts=WALL_POSTS_SHOWN)
                wall, _ = await show_statuses(uow, tools.wall_status_ids, viewer_id=None)
    except DomainError as exc:
        return browser.problem(exc)
    done = browser.request.query_params.get("done")
    return browser.render(
        "event.html", status_code=status_code, event=event, error=error, form=form or {},
        done=done if done in DONE else None, held=[(row, reasons_of(row)) for row in held],
        tools=tools, wall=wall or [], consents=CONSENTS, page_path=path,
        live=f"{path}/stream" if browser.session is not None and event.taking_posts else None,
        max_characters=browser.settings.max_characters, max_attachments=MAX_ATTACHMENTS,
        **context)


@router.get(PATH + "/{event_id}.ics", include_in_schema=False)
async def calendar(event_id: str, browser: CurrentBrowser) -> Response:
    try:
        async with uows(browser.request).read() as uow:
            event, body = await event_calendar(uow, person=person_of(browser),
                                               event_id=parse_id(event_id) or 0,
                                               origin=origin(browser.request))
    except DomainError as exc:
        return browser.problem(exc)
    return Response(body, media_type=MEDIA_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{file_name(event.title)}"',
        "Cache-Control": "no-store"})


@router.get(PATH + "/{event_id}", include_in_schema=False)
async def page(event_id: str, browser: CurrentBrowser) -> Response:
    return await event_page(browser, event_id)


@router.get(PATH + "/{event_id}/stream", include_in_schema=False)
async def stream(event_id: str, browser: CurrentBrowser) -> Response:
    viewer = browser.session.viewer if browser.session else None
    try:
        return await event_stream(
            uows=uows(browser.request), broker=browser.request.app.state.broker,
            person=person_of(browser), event_id=parse_id(event_id) or 0,
            token=Token(viewer.account_id, viewer.token_id) if viewer else None)
    except DomainError as exc:
        return browser.problem(exc)


async def act(request: Request, browser: Browser, raw_id: str, form: dict, action,
              done: str, anchor: str = "") -> Response:
    """Run one action of the page; back to the page, or the page with the error."""
    try:
        async with uows(request).write() as uow:
            await action(uow, person_of(browser), parse_id(raw_id) or 0)
    except DomainError as exc:
        if exc.status_code == 404:
            return browser.problem(exc)
        return await event_page(browser, raw_id, status_code=exc.status_code,
                                error=browser.explain(exc), form=form)
    return browser.redirect(f"{PATH}/{raw_id}?done={done}{anchor}")


@router.post(PATH + "/{event_id}/rsvp", include_in_schema=False)
async def rsvp(event_id: str, request: Request, browser: SignedIn,
               form: GenuineForm) -> Response:
    async def action(uow, person, event_id):
        await answer_event(uow, person=person, event_id=event_id,
                           answer=form.get("answer", "")[:20])

    return await act(request, browser, event_id, form, action, "answered", "#answer")


@router.post(PATH + "/{event_id}/consent", include_in_schema=False)
async def consent(event_id: str, request: Request, browser: SignedIn,
                  form: GenuineForm) -> Response:
    async def action(uow, person, event_id):
        await give_event_consent(uow, person=person, event_id=event_id,
                                 consent={name: form.get(name, "")[:10] for name in CONSENTS})

    return await act(request, browser, event_id, form, action, "consent", "#consent")


@router.post(COMPOSE_PATH, include_in_schema=False)
async def compose(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    event_id = str(parse_id(form.get("event_id", "")) or 0)
    raw_form = await request.form()
    viewer = browser.session.viewer
    uploaded: list = []
    posted = None
    try:
        attachments = await form_attachments(request, raw_form, form)
        draft = EventPostDraft(text=form.get("text", "")[:100_000],
                               sensitive=form.get("sensitive") == "true")
        async with uows(request).write() as uow:
            for attachment, details in attachments:
                uploaded.append(await upload_media(uow, account_id=viewer.account_id,
                                                   upload=attachment, details=details))
            draft = replace(draft, media_ids=tuple(media.id for media in uploaded))
            posted = await post_to_event(uow, person=person_of(browser),
                                         event_id=parse_id(event_id) or 0, draft=draft,
                                         application_id=viewer.app_id)
    except DomainError as exc:
        if uploaded:
            async with uows(request).write() as uow:
                await forget_files(uow, [key for media in uploaded
                                         for key in (media.file_key, media.preview_key)])
        if exc.status_code == 404:
            return browser.problem(exc)
        return await event_page(browser, event_id, status_code=exc.status_code,
                                error=browser.explain(exc), form=form)
    if posted.held is not None:
        return browser.redirect(f"{PATH}/{event_id}?done=held#held-{posted.held.id}")
    return browser.redirect(f"{PATH}/{event_id}?done=posted")
