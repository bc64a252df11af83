"""Press conferences under our API (docs/press-conferences.md).

    POST /api/zwitscher/v1/press_conferences                      call one (write:press)
    GET  /api/zwitscher/v1/press_conferences?brand_id=ID          a brand's (read:press)
    GET  /api/zwitscher/v1/press_conferences/{id}                 one
    POST /api/zwitscher/v1/press_conferences/{id}/end             end it early (moderators)
    GET  /api/zwitscher/v1/press_conferences/{id}/stream          its live events (SSE)
    GET  /api/zwitscher/v1/press_conferences/{id}/transcript      as JSON; .md and .html too
    GET  /api/zwitscher/v1/press_conferences/{id}/questions       the queue, most votes first
    POST /api/zwitscher/v1/press_conferences/{id}/questions       ask one
    POST .../questions/{question_id}/accept | merge | reject      moderators
    POST .../questions/{question_id}/vote | unvote                participants
    POST .../questions/{question_id}/answer                       the brand's authors

Reads take an optional token: a public conference is for anyone, a press-only one for the
members of its groups (and the moderators); everyone else gets 404.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response, StreamingResponse
from typing_extensions import TypedDict

from zwitscher.api.deps import OptionalViewer, Origin, path_id, scoped, uows
from zwitscher.api.operations import declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Id, Params, iso_datetime, parse, with_examples
from zwitscher.api.responses import JSON, client_language
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.services.answer_press_question import answer_press_question
from zwitscher.services.ask_press_question import ask_press_question
from zwitscher.services.call_press_conference import ConferenceDraft, call_press_conference
from zwitscher.services.end_press_conference import end_press_conference
from zwitscher.services.list_press_conferences import brand_press_conferences
from zwitscher.services.moderate_press_question import (
    accept_press_question,
    merge_press_question,
    reject_press_question,
)
from zwitscher.services.oauth import Viewer
from zwitscher.services.read_press_transcript import read_press_transcript
from zwitscher.services.vote_press_question import unvote_press_question, vote_press_question
from zwitscher.services.watch_press_conference import (
    ANONYMOUS,
    Watcher,
    show_press_conference,
    show_press_question,
)
from zwitscher.streaming.press_conferences import Token, press_conference_stream
from zwitscher.views.press_conferences import conference_data, question_data
from zwitscher.views.press_transcripts import (
    FORMATS,
    export_headers,
    transcript_data,
    transcript_html,
    transcript_markdown,
)

PATH = "/api/zwitscher/v1/press_conferences"
router = APIRouter(prefix=PATH)


class ConferenceCreate(Params):
    model_config = with_examples({
        "brand_id": "1", "title": "Quarterly results", "description": "Questions welcome.",
        "ends_at": "2030-01-01T12:00:00Z", "audience": "public"})

    brand_id: Id = ""
    title: str = ""
    description: str = ""
    starts_at: str | None = None
    ends_at: str = ""
    audience: str = "public"
    group_ids: list[Id] = []


class BrandQuery(Params):
    brand_id: Id = ""


class QuestionCreate(Params):
    model_config = with_examples({"text": "When will the new plant open?"})

    text: str = ""


class Merge(Params):
    into_id: Id = ""


class Rejection(Params):
    reason: str = ""


class AnswerCreate(Params):
    text: str = ""


class PressPerson(TypedDict):
    id: str
    username: str
    acct: str
    display_name: str


class PressGroup(TypedDict):
    id: str
    name: str


class PressConference(TypedDict):
    id: str
    brand: PressPerson
    title: str
    description: str
    starts_at: str
    ends_at: str
    audience: str  # public or groups
    groups: list[PressGroup]  # for moderators
    state: str  # scheduled, open or ended
    taking_questions: bool
    announcement_id: str | None
    ended_at: str | None
    created_at: str
    url: str
    moderator: bool
    may_ask: bool


class PressAnswer(TypedDict):
    text: str
    status_id: str | None
    answered_by: PressPerson | None
    answered_at: str


class PressQuestion(TypedDict):
    id: str
    conference_id: str
    state: str  # pending, accepted, rejected, merged or answered
    text: str
    asker: PressPerson | None
    also_asked_by: list[PressPerson]
    votes: int
    voted: bool
    mine: bool
    merged_into_id: str | None
    rejection_reason: str | None
    answer: PressAnswer | None
    created_at: str


class TranscriptConference(TypedDict):
    id: str
    title: str
    description: str
    brand: PressPerson
    starts_at: str
    ends_at: str
    ended_at: str | None
    state: str
    url: str


class TranscriptAnswer(TypedDict):
    text: str
    answered_by: PressPerson | None
    answered_at: str
    status_id: str | None


class TranscriptQuestion(TypedDict):
    number: int
    id: str
    text: str
    asked_by: PressPerson | None
    also_asked_by: list[PressPerson]
    asked_at: str
    votes: int
    answer: TranscriptAnswer


class PressTranscript(TypedDict):
    conference: TranscriptConference
    questions: list[TranscriptQuestion]


def watcher_of(viewer: Viewer | None) -> Watcher:
    """The person behind a token (also one acting for a brand); a token without `read:press`
    reads nothing here."""
    if viewer is None:
        return ANONYMOUS
    if not viewer.may("read:press"):
        raise Forbidden("This action is outside the authorized scopes")
    return Watcher(viewer.person_id or viewer.account_id, viewer.role)


def _writer(viewer: Viewer) -> Watcher:
    return Watcher(viewer.person_id or viewer.account_id, viewer.role)


async def _conference(request: Request, conference_id: int, watcher: Watcher,
                      origin: str) -> JSON:
    async with uows(request).read() as uow:
        shown = await show_press_conference(uow, watcher=watcher, conference_id=conference_id)
    return JSON(conference_data(shown.conference, origin))


async def _question(request: Request, conference_id: int, question_id: int,
                    watcher: Watcher) -> JSON:
    async with uows(request).read() as uow:
        view = await show_press_question(uow, watcher=watcher, conference_id=conference_id,
                                         question_id=question_id)
    return JSON(question_data(view))


@router.post("")
@declare(returns=PressConference, takes=ConferenceCreate, errors=(403, 404))
async def call(request: Request, origin: Origin,
               viewer: Viewer = Depends(scoped("write:press"))) -> JSON:
    """Call a press conference for a brand account you may post as."""
    form = await parse(request, ConferenceCreate)
    brand_id = parse_id(str(form.brand_id))
    if brand_id is None:
        raise NotFound("No such brand account")
    if not form.ends_at:
        raise ValidationFailed("ends_at must be an ISO 8601 date and time")
    group_ids = [parse_id(str(raw)) for raw in form.group_ids]
    if None in group_ids:
        raise NotFound("No such group")
    draft = ConferenceDraft(
        brand_id=brand_id, title=form.title, description=form.description,
        starts_at=iso_datetime(form.starts_at, "starts_at") if form.starts_at else None,
        ends_at=iso_datetime(form.ends_at, "ends_at"), audience=form.audience,
        group_ids=tuple(group_ids))
    writer = _writer(viewer)
    async with uows(request).write() as uow:
        conference = await call_press_conference(uow, person_id=writer.account_id,
                                                 role=writer.role, draft=draft)
    return await _conference(request, conference.id, writer, origin)


@router.get("")
@declare(returns=list[PressConference], takes=BrandQuery, paged=True, errors=(404,))
async def of_brand(request: Request, origin: Origin, viewer: OptionalViewer) -> JSON:
    """A brand account's press conferences that you may watch, newest first."""
    brand_id = parse_id(str((await parse(request, BrandQuery)).brand_id))
    if brand_id is None:
        raise NotFound("No such brand account")
    page = page_from(request)
    async with uows(request).read() as uow:
        views = await brand_press_conferences(uow, watcher=watcher_of(viewer),
                                              brand_id=brand_id, page=page)
    response = JSON([conference_data(view, origin) for view in views])
    link_header(request, response, [view.id for view in views])
    return response


@router.get("/{conference_id}")
@declare(returns=PressConference)
async def show(request: Request, conference_id: str, origin: Origin,
               viewer: OptionalViewer) -> JSON:
    return await _conference(request, path_id(conference_id), watcher_of(viewer), origin)


@router.post("/{conference_id}/end")
@declare(returns=PressConference, errors=(403,))
async def end(request: Request, conference_id: str, origin: Origin,
              viewer: Viewer = Depends(scoped("write:press"))) -> JSON:
    """End the press conference now (its moderators)."""
    async with uows(request).write() as uow:
        await end_press_conference(uow, watcher=_writer(viewer),
                                   conference_id=path_id(conference_id))
    return await _conference(request, path_id(conference_id), _writer(viewer), origin)


@router.get("/{conference_id}/stream")
@declare(returns=str, media_type="text/event-stream")
async def stream(request: Request, conference_id: str,
                 viewer: OptionalViewer) -> StreamingResponse:
    """The conference's live events as Server-Sent Events (docs/press-conferences.md)."""
    token = Token(viewer.account_id, viewer.token_id) if viewer and viewer.account_id else None
    return await press_conference_stream(
        uows=uows(request), broker=request.app.state.broker, watcher=watcher_of(viewer),
        conference_id=path_id(conference_id), token=token)


@router.get("/{conference_id}/transcript")
@declare(returns=PressTranscript)
async def transcript(request: Request, conference_id: str, origin: Origin,
                     viewer: OptionalViewer) -> JSON:
    """The answered questions in the order they were answered."""
    async with uows(request).read() as uow:
        found = await read_press_transcript(uow, watcher=watcher_of(viewer),
                                            conference_id=path_id(conference_id))
    return JSON(transcript_data(found.conference, found.questions, origin=origin))


async def _transcript_file(request: Request, conference_id: str, origin: str,
                           viewer: Viewer | None, extension: str) -> Response:
    async with uows(request).read() as uow:
        found = await read_press_transcript(uow, watcher=watcher_of(viewer),
                                            conference_id=path_id(conference_id))
    render = transcript_markdown if extension == "md" else transcript_html
    body = render(found.conference, found.questions, origin=origin,
                  language=client_language(request))
    return Response(body, media_type=FORMATS[extension],
                    headers=export_headers(found.conference, extension))


@router.get("/{conference_id}/transcript.md")
@declare(returns=str, media_type="text/markdown")
async def transcript_md(request: Request, conference_id: str, origin: Origin,
                        viewer: OptionalViewer) -> Response:
    """The transcript as Markdown (in the language of `lang` or `Accept-Language`)."""
    return await _transcript_file(request, conference_id, origin, viewer, "md")


@router.get("/{conference_id}/transcript.html")
@declare(returns=str, media_type="text/html")
async def transcript_page(request: Request, conference_id: str, origin: Origin,
                          viewer: OptionalViewer) -> Response:
    """The transcript as a standalone HTML page."""
    return await _transcript_file(request, conference_id, origin, viewer, "html")


@router.get("/{conference_id}/questions")
@declare(returns=list[PressQuestion])
async def questions(request: Request, conference_id: str, viewer: OptionalViewer) -> JSON:
    """The questions you see: accepted and answered ones, your own, and for moderators all;
    most votes first, then oldest first."""
    async with uows(request).read() as uow:
        shown = await show_press_conference(uow, watcher=watcher_of(viewer),
                                            conference_id=path_id(conference_id))
    return JSON([question_data(question) for question in shown.questions])


@router.post("/{conference_id}/questions")
@declare(returns=PressQuestion, takes=QuestionCreate, errors=(429,))
async def ask(request: Request, conference_id: str,
              viewer: Viewer = Depends(scoped("write:press"))) -> JSON:
    """Ask a question; it waits for the moderators. 429 for a question flood."""
    form = await parse(request, QuestionCreate)
    watcher = _writer(viewer)
    async with uows(request).write() as uow:
        question = await ask_press_question(uow, watcher=watcher,
                                            conference_id=path_id(conference_id),
                                            text=form.text)
    return await _question(request, question.conference_id, question.id, watcher)


def _action(name: str, verb, takes: type[Params] | None, summary: str) -> None:
    """One route per question action: each calls its service with the form's field."""

    async def route(request: Request, conference_id: str, question_id: str,
                    viewer: Viewer = Depends(scoped("write:press"))) -> JSON:
        extra = {}
        if takes is Merge:
            into = parse_id(str((await parse(request, Merge)).into_id))
            if into is None:
                raise ValidationFailed("into_id is not a valid id")
            extra = {"into_id": into}
        elif takes is Rejection:
            extra = {"reason": (await parse(request, Rejection)).reason}
        elif takes is AnswerCreate:
            extra = {"text": (await parse(request, AnswerCreate)).text,
                     "application_id": viewer.app_id}
        watcher = _writer(viewer)
        async with uows(request).write() as uow:
            question = await verb(uow, watcher=watcher, conference_id=path_id(conference_id),
                                  question_id=path_id(question_id), **extra)
        return await _question(request, question.conference_id, question.id, watcher)

    route.__doc__ = summary
    route.__name__ = f"{name}_question"
    declared = declare(returns=PressQuestion, takes=takes, errors=(403,))(route)
    router.add_api_route(f"/{{conference_id}}/questions/{{question_id}}/{name}", declared,
                         methods=["POST"], name=f"press_question_{name}")


_action("accept", accept_press_question, None, "Accept a waiting question (moderators).")
_action("merge", merge_press_question, Merge,
        "Merge a duplicate into the accepted or answered question `into_id` (moderators).")
_action("reject", reject_press_question, Rejection,
        "Reject a question with a reason its asker reads (moderators).")
_action("vote", vote_press_question, None, "Vote for an accepted question.")
_action("unvote", unvote_press_question, None, "Take your vote back.")
_action("answer", answer_press_question, AnswerCreate,
        "Answer as the brand: a reply to the announcement quoting the question (authors).")
