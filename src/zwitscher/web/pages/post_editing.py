"""A person's own post, from its card's "more" menu: edit it, pin it on their profile (and
unpin it).

Editing is what Mastodon allows and the API's `PUT /api/v1/statuses/:id` does, through the same
`edit_status`: the text, the content warning, "sensitive", the images' descriptions and the
poll (which starts afresh when its answers or choice mode change). Every earlier version is kept
for the post's history, which its page lists. Someone else's post is "not found", whatever the
form says. Pinning is the API's `pin_status`, which refuses followers-only and direct posts.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import DomainError, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.domain.polls import MAX_OPTION_CHARS, MAX_OPTIONS, PollDraft
from zwitscher.services.edit_status import StatusChanges, edit_status
from zwitscher.services.mark_status import may_pin, pin_status
from zwitscher.services.upload_media import media_details
from zwitscher.views.shown import ShownStatus, show_statuses
from zwitscher.views.statuses import PollView
from zwitscher.web.browser import Browser, templates
from zwitscher.web.guards import GenuineForm, SignedIn
from zwitscher.web.pages.home import POLL_DURATIONS
from zwitscher.web.pages.statuses import local_path

router = APIRouter()

# The card offers "Pin on my profile" only where the service would accept it.
templates.globals["pinnable"] = may_pin

# The poll's duration choice that keeps its end as it is.
KEEP_END = "keep"


async def _own_post(uow: UnitOfWork, browser: Browser, status_id: str) -> ShownStatus | None:
    """The post as its author sees it, if it is the signed-in person's own (no boost)."""
    viewer_id = browser.session.viewer.account_id
    row = await uow.statuses.get_visible(parse_id(status_id) or 0, viewer_id)
    if row is None or row.account_id != viewer_id or row.reblog_of_id is not None:
        return None
    shown, _ = await show_statuses(uow, [row.id], viewer_id=viewer_id)
    return shown[0] if shown else None


def _draft_of(status: ShownStatus) -> dict[str, str]:
    """The form's fields as the post is now."""
    view = status.view
    draft = {"text": view.text, "spoiler_text": view.spoiler_text,
             "sensitive": "true" if view.sensitive else ""}
    for media in view.media:
        draft[f"description_{media.id}"] = media.description
    if view.poll:
        for number, option in enumerate(view.poll.options, start=1):
            draft[f"poll_option_{number}"] = option
        draft["poll_multiple"] = "true" if view.poll.multiple else ""
        draft["poll_expires_in"] = KEEP_END if view.poll.expires_at > utcnow() else "86400"
    return draft


def _edit_page(browser: Browser, status: ShownStatus, *, draft: dict[str, str],
               error: str | None = None, status_code: int = 200) -> Response:
    settings = browser.settings
    back = local_path(browser.request.query_params.get("back") or draft.get("back"),
                      f"/@{status.account.username}/{status.id}")
    poll = status.view.poll
    return browser.render(
        "edit_status.html", status_code=status_code, status=status, draft=draft, error=error,
        back=back, max_characters=settings.max_characters,
        poll_max_options=MAX_OPTIONS, poll_option_chars=MAX_OPTION_CHARS,
        poll_running=bool(poll and poll.expires_at > utcnow()),
        poll_durations=[(seconds, label) for seconds, label in POLL_DURATIONS
                        if seconds >= settings.poll_min_expires_seconds])


@router.get("/web/statuses/{status_id}/edit", include_in_schema=False)
async def edit_form(status_id: str, browser: SignedIn) -> Response:
    async with uows(browser.request).read() as uow:
        status = await _own_post(uow, browser, status_id)
    if status is None:
        return browser.not_found()
    return _edit_page(browser, status, draft=_draft_of(status))


@router.post("/web/statuses/{status_id}/edit", include_in_schema=False)
async def save_edit(status_id: str, browser: SignedIn, form: GenuineForm) -> Response:
    async with uows(browser.request).read() as uow:
        status = await _own_post(uow, browser, status_id)
    if status is None:
        return browser.not_found()
    try:
        changes = _changes(form, status, min_expires=browser.settings.poll_min_expires_seconds)
        async with uows(browser.request).write() as uow:
            await edit_status(uow, editor_id=browser.session.viewer.account_id,
                              status_id=status.id, changes=changes)
    except DomainError as exc:
        if exc.status_code == 404:
            return browser.not_found()
        return _edit_page(browser, status, draft=form, error=browser.explain(exc),
                          status_code=exc.status_code)
    return browser.redirect(f"/@{status.account.username}/{status.id}?saved=1#status-{status.id}")


def _changes(form: dict[str, str], status: ShownStatus, *, min_expires: int) -> StatusChanges:
    if any("\x00" in value for value in form.values()):
        raise ValidationFailed("The form contains a NUL character")
    view = status.view
    # Only the post's own images: a description field of any other id is ignored.
    details = tuple((media.id, media_details(form[f"description_{media.id}"], None))
                    for media in view.media if f"description_{media.id}" in form)
    return StatusChanges(
        text=form.get("text", ""), spoiler_text=form.get("spoiler_text", "")[:1000],
        sensitive=bool(view.media) and bool(form.get("sensitive")),
        media_details=details,
        poll=_poll(form, view.poll, min_expires=min_expires) if view.poll else None)


def _poll(form: dict[str, str], poll: PollView, *, min_expires: int) -> PollDraft | None:
    """The poll as the form has it; all answers empty removes it. "Keep" runs it to the end it
    has (at least the instance's shortest poll)."""
    answers = [form.get(f"poll_option_{n}", "") for n in range(1, MAX_OPTIONS + 1)]
    answers = [answer for answer in answers if answer.strip()]
    if not answers:
        return None
    raw = form.get("poll_expires_in", "")
    if raw == KEEP_END:
        expires_in = max(_seconds_until(poll.expires_at), min_expires)
    else:
        try:
            expires_in = int(raw)
        except ValueError:
            raise ValidationFailed("Please choose how long the poll runs") from None
    return PollDraft(tuple(answers), expires_in, multiple=bool(form.get("poll_multiple")),
                     hide_totals=poll.hide_totals)


def _seconds_until(moment: datetime) -> int:
    return int((moment - utcnow()).total_seconds())


async def _pin(status_id: str, browser: Browser, form: dict[str, str], *, on: bool) -> Response:
    try:
        async with uows(browser.request).write() as uow:
            await pin_status(uow, account_id=browser.session.viewer.account_id,
                             status_id=parse_id(status_id) or 0, on=on)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(local_path(form.get("back"), "/web/home"))


@router.post("/web/statuses/{status_id}/pin", include_in_schema=False)
async def pin(status_id: str, browser: SignedIn, form: GenuineForm) -> Response:
    return await _pin(status_id, browser, form, on=True)


@router.post("/web/statuses/{status_id}/unpin", include_in_schema=False)
async def unpin(status_id: str, browser: SignedIn, form: GenuineForm) -> Response:
    return await _pin(status_id, browser, form, on=False)
