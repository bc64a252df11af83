"""Press conferences on the web: the list (and, for a brand's authors, the form that calls
one), a conference's live page and its transcript.

    /web/press-conferences                       those the reader may watch; the call form
    /web/press-conferences/{id}                  the live page: ask, vote, moderate, answer
    /web/press-conferences/{id}/queue            its live part alone (what web.js fetches)
    /web/press-conferences/{id}/stream           its events (SSE, by the session)
    /web/press-conferences/{id}/transcript       the transcript; .md, .html and .json files

A public conference's pages are for anyone, signed in or not; a press-only one's for the
members of its groups and its moderators (404 for everyone else). Every form is a plain form
that answers 303 back to the page, so everything works without JavaScript; `web.js` listens to
the stream and swaps in the live part as it changes. The rules are the services'.
"""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import origin, uows
from zwitscher.db.pagination import Page
from zwitscher.domain.errors import DomainError, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.policies.brands import brands_to_post_as
from zwitscher.policies.press_conferences import ACCEPTED, ANSWERED, PENDING, PUBLIC
from zwitscher.services.answer_press_question import answer_press_question
from zwitscher.services.ask_press_question import MAX_QUESTION, ask_press_question
from zwitscher.services.call_press_conference import (
    MAX_DESCRIPTION,
    MAX_TITLE,
    ConferenceDraft,
    call_press_conference,
)
from zwitscher.services.end_press_conference import end_press_conference
from zwitscher.services.list_press_conferences import list_press_conferences
from zwitscher.services.moderate_press_question import (
    MAX_REASON,
    accept_press_question,
    merge_press_question,
    reject_press_question,
)
from zwitscher.services.read_press_transcript import read_press_transcript
from zwitscher.services.vote_press_question import unvote_press_question, vote_press_question
from zwitscher.services.watch_press_conference import (
    ANONYMOUS,
    Shown,
    Watcher,
    show_press_conference,
)
from zwitscher.streaming.press_conferences import Token, press_conference_stream
from zwitscher.views.press_transcripts import (
    FORMATS,
    export_headers,
    transcript_data,
    transcript_html,
    transcript_markdown,
)
from zwitscher.web.browser import Browser, CurrentBrowser
from zwitscher.web.guards import GenuineForm, SignedIn
from zwitscher.web.local_times import local_moment, person_zone

router = APIRouter()
PATH = "/web/press-conferences"
LIST_SIZE = 40
DONE = {"asked", "accepted", "merged", "rejected", "voted", "unvoted", "answered", "ended"}


def watcher_of(browser: Browser) -> Watcher:
    if browser.session is None:
        return ANONYMOUS
    return Watcher(browser.session.viewer.account_id, browser.user.role)


# The list, and calling a conference.

async def _list_page(browser: Browser, *, status_code: int = 200, error: str | None = None,
                     form: dict | None = None) -> Response:
    watcher = watcher_of(browser)
    max_id = parse_id(browser.request.query_params.get("max_id", ""))
    async with uows(browser.request).read() as uow:
        conferences = await list_press_conferences(
            uow, watcher=watcher, page=Page(max_id=max_id, limit=LIST_SIZE))
        brands = [brand for brand in await brands_to_post_as(
            uow, person_id=watcher.account_id, role=watcher.role)
            if not brand.needs_approval] if watcher.signed_in else []
        # Press groups first (`policies/press.py`), by the name the press knows them by.
        groups = sorted(await uow.groups.all_groups(), key=lambda group: (
            not group.press, (group.press_name or group.name).lower())) if brands else []
    return browser.render(
        "press_conferences.html", status_code=status_code, conferences=conferences,
        brands=brands, groups=groups, error=error, form=form or {"audience": PUBLIC},
        zone=person_zone(browser), max_title=MAX_TITLE,
        max_description=MAX_DESCRIPTION,
        older_id=conferences[-1].id if len(conferences) >= LIST_SIZE else None)


@router.get(PATH, include_in_schema=False)
async def conferences_page(browser: CurrentBrowser) -> Response:
    return await _list_page(browser)


@router.post(PATH, include_in_schema=False)
async def call(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    zone = person_zone(browser)
    group_ids = [parse_id(raw) for raw in (await request.form()).getlist("group_ids")[:50]]
    try:
        ends_at = local_moment(form.get("ends_at", ""), zone, "The end is not a date and time")
        if ends_at is None:
            raise ValidationFailed("Please say when the press conference ends")
        draft = ConferenceDraft(
            brand_id=parse_id(form.get("brand_id", "")) or 0,
            title=form.get("title", "")[:MAX_TITLE + 1],
            description=form.get("description", "")[:MAX_DESCRIPTION + 1],
            starts_at=local_moment(form.get("starts_at", ""), zone,
                                   "The start is not a date and time"),
            ends_at=ends_at, audience=form.get("audience", PUBLIC),
            group_ids=tuple(group_id for group_id in group_ids if group_id))
        async with uows(request).write() as uow:
            conference = await call_press_conference(
                uow, person_id=browser.session.viewer.account_id, role=browser.user.role,
                draft=draft)
    except DomainError as exc:
        return await _list_page(browser, status_code=exc.status_code,
                                error=browser.explain(exc),
                                form={**form, "group_ids": [str(g) for g in group_ids]})
    return browser.redirect(f"{PATH}/{conference.id}")


# A conference's live page.

def _sections(shown: Shown) -> dict:
    """The questions as the page shows them: waiting (for the moderators), the queue by
    votes, answered (newest first), and the reader's own that went elsewhere."""
    questions = shown.questions
    answered = sorted((q for q in questions if q.state == ANSWERED),
                      key=lambda q: q.answer.answered_at, reverse=True)
    return {
        "waiting": sorted((q for q in questions if q.state == PENDING), key=lambda q: q.id),
        "queue": [q for q in questions if q.state == ACCEPTED],
        "answered": answered,
        "others": [q for q in questions if q.state not in (PENDING, ACCEPTED, ANSWERED)
                   or (q.state == PENDING and not shown.conference.moderator)],
    }


async def _conference_page(browser: Browser, raw_id: str, *, template: str,
                           status_code: int = 200, error: str | None = None,
                           form: dict | None = None, about: str | None = None) -> Response:
    watcher = watcher_of(browser)
    try:
        async with uows(browser.request).read() as uow:
            shown = await show_press_conference(uow, watcher=watcher,
                                                conference_id=parse_id(raw_id) or 0)
            # Answering is posting as the brand: for its authors who need no approval.
            voices = [brand.id for brand in await brands_to_post_as(
                uow, person_id=watcher.account_id, role=watcher.role)
                if not brand.needs_approval] if watcher.signed_in else []
    except DomainError as exc:
        return browser.problem(exc)
    done = browser.request.query_params.get("done")
    return browser.render(
        template, status_code=status_code, conference=shown.conference,
        **_sections(shown), may_answer=shown.conference.brand.id in voices, error=error,
        about=about, form=form or {}, done=done if done in DONE else None,
        max_question=MAX_QUESTION, max_reason=MAX_REASON,
        page_path=f"{PATH}/{shown.conference.id}")


@router.get(PATH + "/{conference_id}", include_in_schema=False)
async def conference_page(conference_id: str, browser: CurrentBrowser) -> Response:
    return await _conference_page(browser, conference_id, template="press_conference.html")


@router.get(PATH + "/{conference_id}/queue", include_in_schema=False)
async def queue(conference_id: str, browser: CurrentBrowser) -> Response:
    """The live part of the page alone, as the reader sees it now."""
    return await _conference_page(browser, conference_id, template="press_queue.html")


@router.get(PATH + "/{conference_id}/stream", include_in_schema=False)
async def stream(conference_id: str, browser: CurrentBrowser) -> Response:
    viewer = browser.session.viewer if browser.session else None
    try:
        return await press_conference_stream(
            uows=uows(browser.request), broker=browser.request.app.state.broker,
            watcher=watcher_of(browser), conference_id=parse_id(conference_id) or 0,
            token=Token(viewer.account_id, viewer.token_id) if viewer else None)
    except DomainError as exc:
        return browser.problem(exc)


async def _act(request: Request, browser: Browser, raw_id: str, form: dict[str, str],
               act, done: str, about: str | None = None) -> Response:
    """Run one action; back to the page (at the question) or the page with the error."""
    try:
        async with uows(request).write() as uow:
            await act(uow, watcher_of(browser), parse_id(raw_id) or 0)
    except DomainError as exc:
        if exc.status_code == 404:
            return browser.problem(exc)
        return await _conference_page(browser, raw_id, template="press_conference.html",
                                      status_code=exc.status_code, error=browser.explain(exc),
                                      form=form, about=about)
    anchor = f"#question-{about}" if about else ""
    return browser.redirect(f"{PATH}/{raw_id}?done={done}{anchor}")


@router.post(PATH + "/{conference_id}/questions", include_in_schema=False)
async def ask(conference_id: str, request: Request, browser: SignedIn,
              form: GenuineForm) -> Response:
    text = form.get("text", "")[:MAX_QUESTION + 1]

    async def act(uow, watcher, conference_id):
        await ask_press_question(uow, watcher=watcher, conference_id=conference_id, text=text)

    return await _act(request, browser, conference_id, form, act, "asked")


@router.post(PATH + "/{conference_id}/end", include_in_schema=False)
async def end(conference_id: str, request: Request, browser: SignedIn,
              form: GenuineForm) -> Response:
    async def act(uow, watcher, conference_id):
        await end_press_conference(uow, watcher=watcher, conference_id=conference_id)

    return await _act(request, browser, conference_id, form, act, "ended")


def _question_action(name: str, done: str, call_with) -> None:
    async def route(conference_id: str, question_id: str, request: Request,
                    browser: SignedIn, form: GenuineForm) -> Response:
        async def act(uow, watcher, conference):
            await call_with(uow, watcher, conference, parse_id(question_id) or 0, form)

        return await _act(request, browser, conference_id, form, act, done,
                          about=question_id if parse_id(question_id) else None)

    router.add_api_route(f"{PATH}/{{conference_id}}/questions/{{question_id}}/{name}", route,
                         methods=["POST"], include_in_schema=False,
                         name=f"web_press_question_{name}")


_question_action("accept", "accepted", lambda uow, w, c, q, form: accept_press_question(
    uow, watcher=w, conference_id=c, question_id=q))
_question_action("merge", "merged", lambda uow, w, c, q, form: merge_press_question(
    uow, watcher=w, conference_id=c, question_id=q,
    into_id=parse_id(form.get("into_id", "")) or 0))
_question_action("reject", "rejected", lambda uow, w, c, q, form: reject_press_question(
    uow, watcher=w, conference_id=c, question_id=q, reason=form.get("reason", "")[:2000]))
_question_action("vote", "voted", lambda uow, w, c, q, form: vote_press_question(
    uow, watcher=w, conference_id=c, question_id=q))
_question_action("unvote", "unvoted", lambda uow, w, c, q, form: unvote_press_question(
    uow, watcher=w, conference_id=c, question_id=q))
_question_action("answer", "answered", lambda uow, w, c, q, form: answer_press_question(
    uow, watcher=w, conference_id=c, question_id=q, text=form.get("answer", "")[:5000]))


# The transcript.

@router.get(PATH + "/{conference_id}/transcript", include_in_schema=False)
async def transcript_page(conference_id: str, browser: CurrentBrowser) -> Response:
    try:
        async with uows(browser.request).read() as uow:
            found = await read_press_transcript(uow, watcher=watcher_of(browser),
                                                conference_id=parse_id(conference_id) or 0)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.render("press_conference_transcript.html", conference=found.conference,
                          questions=found.questions)


@router.get(PATH + "/{conference_id}/transcript.{extension}", include_in_schema=False)
async def transcript_file(conference_id: str, extension: str,
                          browser: CurrentBrowser) -> Response:
    if extension not in FORMATS:
        return browser.not_found()
    try:
        async with uows(browser.request).read() as uow:
            found = await read_press_transcript(uow, watcher=watcher_of(browser),
                                                conference_id=parse_id(conference_id) or 0)
    except DomainError as exc:
        return browser.problem(exc)
    here = origin(browser.request)
    if extension == "json":
        body = orjson.dumps(transcript_data(found.conference, found.questions, origin=here))
    else:
        render = transcript_markdown if extension == "md" else transcript_html
        body = render(found.conference, found.questions, origin=here,
                      language=browser.language).encode()
    return Response(body, media_type=FORMATS[extension],
                    headers=export_headers(found.conference, extension))

