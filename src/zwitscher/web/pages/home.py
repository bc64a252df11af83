"""The home timeline with its compose form, and what the page needs to stay live.

The form posts as the person, or as a brand account they write for (`post_as`): a brand post
that needs approval becomes a draft, and the page then says it waits (`?sent=approval`)."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import actor_of, uows
from zwitscher.api.pagination import page_from
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import DomainError, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.domain.polls import MAX_OPTION_CHARS, MAX_OPTIONS, MIN_OPTIONS, PollDraft
from zwitscher.domain.visibility import Visibility
from zwitscher.policies.brands import brands_to_post_as
from zwitscher.policies.console import Section, console_sections
from zwitscher.services.attach_media import MAX_ATTACHMENTS
from zwitscher.services.delete_media import forget_files
from zwitscher.services.post_as_brand import post_as_brand
from zwitscher.services.post_status import StatusDraft, post_status
from zwitscher.services.upload_media import upload_media
from zwitscher.streaming.endpoints import sse_response
from zwitscher.views.shown import ShownStatus, show_statuses
from zwitscher.web.attachments import form_attachments
from zwitscher.web.browser import Browser
from zwitscher.web.guards import GenuineForm, SignedIn, SignedInFetch
from zwitscher.web.pages.directory import who_to_follow
from zwitscher.web.pages.statuses import local_path
from zwitscher.web.timeline import shown_statuses

router = APIRouter()

COMPOSE_PATH = "/web/statuses"

# The choices the form offers, in the order shown (`group` only to members of a group).
VISIBILITIES = (Visibility.PUBLIC, Visibility.INTERNAL, Visibility.UNLISTED, Visibility.PRIVATE,
                Visibility.DIRECT, Visibility.GROUP)
# How long a poll may run, as Mastodon's apps offer it (those shorter than the instance's
# minimum are left out).
POLL_DURATIONS = ((300, "5 minutes"), (1800, "30 minutes"), (3600, "1 hour"),
                  (21600, "6 hours"), (86400, "1 day"), (259200, "3 days"), (604800, "7 days"))


async def _home(browser: Browser, *, draft: dict, error: str | None = None,
                status_code: int = 200) -> Response:
    request, viewer = browser.request, browser.session.viewer
    page = page_from(request)
    async with uows(request).read() as uow:
        rows = await uow.home_feed.timeline(viewer.account_id, page)
        statuses = await shown_statuses(uow, [row.id for row in rows],
                                        viewer_id=viewer.account_id, filter_context="home")
        groups = await uow.groups.groups_of(viewer.account_id)
        suggestions = await who_to_follow(uow, browser)
        brands = await brands_to_post_as(uow, person_id=viewer.account_id,
                                         role=browser.user.role)
        waiting = await _waiting(uow, browser, brands)
        replying_to = None
        if reply_id := parse_id(draft.get("in_reply_to_id") or ""):
            parent = await uow.statuses.get_visible(reply_id, viewer.account_id)
            if parent is not None:
                replying_to = await _shown(uow, parent.id, viewer.account_id)
    if replying_to is not None and not draft.get("text"):
        draft = {**draft, "text": f"@{replying_to.account.username} "}
    return browser.render(
        "home.html", status_code=status_code,
        statuses=statuses, suggestions=suggestions,
        newer_id=rows[0].id if rows else None,
        older_id=rows[-1].id if len(rows) >= page.limit else None,
        paged=page.max_id is not None or page.min_id is not None,
        draft=draft, error=error, replying_to=replying_to, visibilities=VISIBILITIES,
        groups=groups, brands=brands, waiting=waiting,
        # On phones the form folds away behind "New post" unless there is something in it.
        compose_open=bool(error or replying_to or draft.get("text")),
        max_characters=browser.request.app.state.settings.max_characters,
        max_attachments=MAX_ATTACHMENTS, poll_min_options=MIN_OPTIONS,
        poll_max_options=MAX_OPTIONS, poll_option_chars=MAX_OPTION_CHARS,
        poll_durations=[(seconds, label) for seconds, label in POLL_DURATIONS
                        if seconds >= browser.request.app.state.settings.poll_min_expires_seconds])


@router.get("/web/home", include_in_schema=False)
async def home(browser: SignedIn) -> Response:
    reply_to = browser.request.query_params.get("reply_to", "")
    default = browser.user.default_visibility if browser.user else "public"
    if browser.request.query_params.get("visibility") == Visibility.DIRECT.value:
        default = Visibility.DIRECT.value  # "Start a conversation" (`/web/conversations`)
    back = local_path(browser.request.query_params.get("back"), "")
    return await _home(browser, draft={"in_reply_to_id": reply_to, "visibility": default,
                                       "back": back})


async def _waiting(uow: UnitOfWork, browser: Browser, brands: list) -> dict | None:
    """After a brand post went to the approval queue: for which brand, and whether the person
    may open the queue (`?sent=approval&brand=ID`; only a brand of theirs is named)."""
    query = browser.request.query_params
    if query.get("sent") != "approval":
        return None
    brand = next((b for b in brands if str(b.id) == query.get("brand")), None)
    actor = await actor_of(uow, browser.session.viewer)
    return {"brand": brand, "reviews": Section.DRAFTS in await console_sections(uow, actor)}


def _brand_id(form: dict) -> int | None:
    """The brand account to post as (`post_as`), or None for the person themself."""
    raw = form.get("post_as", "")
    if not raw:
        return None
    brand_id = parse_id(raw)
    if brand_id is None:
        raise ValidationFailed("No such brand account")
    return brand_id


def _draft(form: dict, group_ids: list[str]) -> StatusDraft:
    if any("\x00" in value for value in form.values()):
        raise ValidationFailed("The form contains a NUL character")
    try:
        visibility = Visibility(form.get("visibility", "public"))
    except ValueError as exc:
        raise ValidationFailed("Visibility is not one of the offered choices") from exc
    raw_reply = form.get("in_reply_to_id", "")
    in_reply_to_id = parse_id(raw_reply) if raw_reply else None
    if raw_reply and in_reply_to_id is None:
        raise ValidationFailed("The post you reply to does not exist")
    groups = tuple(parse_id(raw) for raw in group_ids[:100])
    if None in groups:
        raise ValidationFailed("No such group")
    return StatusDraft(text=form.get("text", ""), visibility=visibility,
                       spoiler_text=form.get("spoiler_text", ""), in_reply_to_id=in_reply_to_id,
                       sensitive=True if form.get("sensitive") else None,
                       group_ids=groups if visibility == Visibility.GROUP else (),
                       poll=_poll(form))


def _poll(form: dict) -> PollDraft | None:
    """The poll the form asks for; the answers left empty do not count (none: no poll)."""
    answers = [form.get(f"poll_option_{n}", "") for n in range(1, MAX_OPTIONS + 1)]
    answers = [answer for answer in answers if answer.strip()]
    if not answers:
        return None
    try:
        expires_in = int(form.get("poll_expires_in", ""))
    except ValueError:
        raise ValidationFailed("Please choose how long the poll runs") from None
    return PollDraft(tuple(answers), expires_in, multiple=bool(form.get("poll_multiple")))


@router.post(COMPOSE_PATH, include_in_schema=False)
async def compose(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    raw_form = await request.form()  # the files and group ids, from the form already read
    group_ids = [value for value in raw_form.getlist("group_ids") if isinstance(value, str)]
    viewer = browser.session.viewer
    uploaded: list = []
    draft = attachments = waiting = None
    try:
        brand_id = _brand_id(form)
        draft = _draft(form, group_ids)
        attachments = await form_attachments(request, raw_form, form)
        async with uows(request).write() as uow:
            # Stored and posted in one transaction: a refused post leaves no attachment rows.
            for attachment, details in attachments:
                uploaded.append(await upload_media(uow, account_id=viewer.account_id,
                                                   upload=attachment, details=details))
            draft = replace(draft, media_ids=tuple(m.id for m in uploaded))
            if brand_id is None:
                await post_status(uow, author_id=viewer.account_id, draft=draft,
                                  application_id=viewer.app_id)
            else:
                done = await post_as_brand(uow, person_id=viewer.account_id,
                                           role=browser.user.role, brand_id=brand_id,
                                           draft=draft, application_id=viewer.app_id)
                waiting = done.draft
    except DomainError as exc:
        if uploaded:
            async with uows(request).write() as uow:
                await forget_files(uow, [key for media in uploaded
                                         for key in (media.file_key, media.preview_key)])
        media_failed = bool(attachments) or (draft is not None and attachments is None)
        return await _home(browser, draft={**form, "group_ids": group_ids,
                                           "media_error": media_failed},
                           error=browser.explain(exc), status_code=exc.status_code)
    if waiting is not None:
        return browser.redirect(f"/web/home?sent=approval&brand={waiting.brand_id}")
    return browser.redirect(local_path(form.get("back"), "/web/home"))


@router.get("/web/statuses/{status_id}/card", include_in_schema=False)
async def status_card(status_id: str, browser: SignedInFetch) -> Response:
    """One status as the timeline shows it: the live page inserts it when the stream says so."""
    viewer_id = browser.session.viewer.account_id
    back = local_path(browser.request.query_params.get("back"), "/web/home")
    async with uows(browser.request).read() as uow:
        row = await uow.statuses.get_visible(parse_id(status_id) or 0, viewer_id)
        shown = row and await _shown(uow, row.id, viewer_id)
    if shown is None:
        return browser.render("problem.html", status_code=404, message=None)
    return browser.render("status_card.html", status=shown, back=back)


async def _shown(uow: UnitOfWork, status_id: int, viewer_id: int) -> ShownStatus | None:
    """One status as the viewer sees it (filters warn, hide nothing: it was asked for)."""
    shown, _ = await show_statuses(uow, [status_id], viewer_id=viewer_id)
    return shown[0] if shown else None


# The streams a page may open (`?stream=`), with the query parameter naming their tag or list;
# anything else the streaming API offers (notifications, direct messages) is not for pages.
PAGE_STREAMS = {"user": "tag", "public": "tag", "public:local": "tag", "public:media": "tag",
                "public:local:media": "tag", "hashtag": "tag", "list": "list"}


@router.get("/web/stream", include_in_schema=False)
async def stream(browser: SignedInFetch) -> Response:
    """A page's live stream (the home stream unless `?stream=` names another), authenticated
    by its session cookie (no token in JS). A list stream checks, as the API's does, that the
    list is the viewer's."""
    name = browser.request.query_params.get("stream", "user")
    if name not in PAGE_STREAMS:
        return browser.not_found()
    try:
        return await sse_response(browser.request, name, browser.session.viewer,
                                  tag_param=PAGE_STREAMS[name])
    except DomainError as exc:
        return browser.problem(exc)
