"""The home timeline with its compose form, and what the page needs to stay live."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import origin, uows
from zwitscher.api.pagination import page_from
from zwitscher.api.presenters.statuses import hidden_by_filter, present_status, present_statuses
from zwitscher.domain.errors import DomainError, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.domain.visibility import Visibility
from zwitscher.services.post_status import StatusDraft, post_status
from zwitscher.streaming.endpoints import sse_response
from zwitscher.web.browser import Browser, CurrentBrowser, read_form
from zwitscher.web.pages.auth import refused

router = APIRouter()

# The choices the form offers, in the order shown (group posts need a group picker: later).
VISIBILITIES = (Visibility.PUBLIC, Visibility.INTERNAL, Visibility.UNLISTED, Visibility.PRIVATE,
                Visibility.DIRECT)


def _signed_out(browser: Browser) -> Response:
    return browser.redirect("/web/sign-in")


async def _home(browser: Browser, *, draft: dict, error: str | None = None,
                status_code: int = 200) -> Response:
    request, viewer = browser.request, browser.session.viewer
    page = page_from(request)
    async with uows(request).read() as uow:
        rows = await uow.home_feed.timeline(viewer.account_id, page)
        entities = await present_statuses(uow, rows, viewer_id=viewer.account_id,
                                          origin=origin(request), filter_context="home")
        replying_to = None
        if reply_id := parse_id(draft.get("in_reply_to_id") or ""):
            parent = await uow.statuses.get_visible(reply_id, viewer.account_id)
            if parent is not None:
                replying_to = await present_status(uow, parent, viewer_id=viewer.account_id,
                                                   origin=origin(request))
    if replying_to is not None and not draft.get("text"):
        draft = {**draft, "text": f"@{replying_to['account']['acct']} "}
    return browser.render(
        "home.html", status_code=status_code,
        statuses=[entity for entity in entities if not hidden_by_filter(entity)],
        newer_id=rows[0].id if rows else None,
        older_id=rows[-1].id if len(rows) >= page.limit else None,
        paged=page.max_id is not None or page.min_id is not None,
        draft=draft, error=error, replying_to=replying_to, visibilities=VISIBILITIES,
        max_characters=browser.request.app.state.settings.max_characters)


@router.get("/web/home", include_in_schema=False)
async def home(browser: CurrentBrowser) -> Response:
    if browser.session is None:
        return _signed_out(browser)
    reply_to = browser.request.query_params.get("reply_to", "")
    default = browser.user.default_visibility if browser.user else "public"
    return await _home(browser, draft={"in_reply_to_id": reply_to, "visibility": default})


def _draft(form: dict) -> StatusDraft:
    try:
        visibility = Visibility(form.get("visibility", "public"))
    except ValueError as exc:
        raise ValidationFailed("Visibility is not one of the offered choices") from exc
    raw_reply = form.get("in_reply_to_id", "")
    in_reply_to_id = parse_id(raw_reply) if raw_reply else None
    if raw_reply and in_reply_to_id is None:
        raise ValidationFailed("The post you reply to does not exist")
    return StatusDraft(text=form.get("text", ""), visibility=visibility,
                       spoiler_text=form.get("spoiler_text", ""), in_reply_to_id=in_reply_to_id)


@router.post("/web/statuses", include_in_schema=False)
async def compose(request: Request, browser: CurrentBrowser) -> Response:
    if browser.session is None:
        return _signed_out(browser)
    form = await read_form(request)
    if not browser.form_is_genuine(form):
        return refused(browser)
    viewer = browser.session.viewer
    try:
        draft = _draft(form)
        async with uows(request).write() as uow:
            await post_status(uow, author_id=viewer.account_id, draft=draft,
                              application_id=viewer.app_id)
    except DomainError as exc:
        return await _home(browser, draft=form, error=browser.explain(exc),
                           status_code=exc.status_code)
    return browser.redirect("/web/home")


@router.get("/web/statuses/{status_id}/card", include_in_schema=False)
async def status_card(status_id: str, browser: CurrentBrowser) -> Response:
    """One status as the timeline shows it: the live page inserts it when the stream says so."""
    if browser.session is None:
        return browser.render("problem.html", status_code=401, message=None)
    viewer_id = browser.session.viewer.account_id
    async with uows(browser.request).read() as uow:
        row = await uow.statuses.get_visible(parse_id(status_id) or 0, viewer_id)
        entity = row and await present_status(uow, row, viewer_id=viewer_id,
                                              origin=origin(browser.request))
    if entity is None:
        return browser.render("problem.html", status_code=404, message=None)
    return browser.render("status_card.html", status=entity)


@router.get("/web/stream", include_in_schema=False)
async def stream(browser: CurrentBrowser) -> Response:
    """The home stream for the page, authenticated by its session cookie (no token in JS)."""
    if browser.session is None:
        return browser.render("problem.html", status_code=401, message=None)
    return await sse_response(browser.request, "user", browser.session.viewer)
