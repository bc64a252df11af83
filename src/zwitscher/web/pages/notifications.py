"""Notifications: the page (grouped, paged, all or mentions only), marking them read, follow
requests answered from it, the requests the notification policy held back, and the live
stream that brings new ones to the open page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import origin, uows
from zwitscher.api.pagination import page_from
from zwitscher.api.presenters.notification_groups import present_grouped, present_requests
from zwitscher.api.presenters.notifications import present_notifications
from zwitscher.db.repos.notifications import NotificationFilter
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import DomainError, NotFound
from zwitscher.domain.ids import parse_id
from zwitscher.domain.notification_groups import GROUPABLE_TYPES
from zwitscher.services.answer_notification_requests import accept_requests, dismiss_requests
from zwitscher.services.follow_account import authorize_follow_request, reject_follow_request
from zwitscher.services.group_notifications import count_unread, grouped_notifications
from zwitscher.services.mark_notifications_read import mark_notifications_read
from zwitscher.streaming.endpoints import sse_response
from zwitscher.views.shown import ShownStatus, show_statuses
from zwitscher.web.browser import Browser
from zwitscher.web.guards import GenuineForm, SignedIn, SignedInFetch

router = APIRouter()

# The page's filters: the query value, and the types it shows (none: all of them).
FILTERS = {"all": [], "mentions": ["mention"]}
# Counting further than this costs more than the number still tells a reader.
UNREAD_LIMIT = 1000


def _filter_name(request: Request) -> str:
    wanted = request.query_params.get("filter", "all")
    return wanted if wanted in FILTERS else "all"


async def _statuses(uow: UnitOfWork, status_ids: set[int], viewer_id: int
                    ) -> dict[int, ShownStatus]:
    """The statuses notifications are about, as the reader sees them, by id; those their
    filters for notifications hide are left out (and so are the notifications)."""
    shown, _ = await show_statuses(uow, list(status_ids), viewer_id=viewer_id,
                                   filter_context="notifications")
    return {status.id: status for status in shown if not status.hidden}


def _items(grouped: dict, statuses: dict[int, ShownStatus]) -> list[dict]:
    """The presented groups joined with their accounts, status and report, ready to render."""
    accounts = {account["id"]: account for account in grouped["accounts"]}
    items = []
    for group in grouped["notification_groups"]:
        status = None
        if group.get("status_id") is not None:
            status = statuses.get(int(group["status_id"]))
            if status is None:
                continue
        senders = [accounts[a] for a in group["sample_account_ids"] if a in accounts]
        if not senders:
            continue
        items.append({"id": int(group["most_recent_notification_id"]), "type": group["type"],
                      "count": max(group["notifications_count"], len(senders)),
                      "accounts": senders, "status": status, "report": group.get("report"),
                      "created_at": group["latest_page_notification_at"]})
    return items


def _item(entity: dict, status: ShownStatus | None) -> dict:
    """One notification (as the stream announces it) in the shape of a group of one."""
    return {"id": int(entity["id"]), "type": entity["type"], "count": 1,
            "accounts": [entity["account"]], "status": status,
            "report": entity.get("report"), "created_at": entity["created_at"]}


async def _notifications_page(browser: Browser, *, error: str | None = None,
                              status_code: int = 200) -> Response:
    request, viewer = browser.request, browser.session.viewer
    chosen = _filter_name(request)
    try:
        page = page_from(request, default=20, maximum=40)
    except DomainError as exc:
        return browser.problem(exc)
    async with uows(request).read() as uow:
        grouped = await grouped_notifications(
            uow, viewer_id=viewer.account_id, page=page,
            what=NotificationFilter(types=FILTERS[chosen]), grouped_types=GROUPABLE_TYPES)
        presented = await present_grouped(uow, grouped, viewer_id=viewer.account_id,
                                          origin=origin(request), paginated=True,
                                          partial_accounts=False)
        unread = await count_unread(uow, viewer_id=viewer.account_id,
                                    what=NotificationFilter(), grouped_types=None,
                                    limit=UNREAD_LIMIT)
        marker = await uow.markers.of(viewer.account_id, ["notifications"])
        requests_pending, _held = await uow.notification_filters.summary(viewer.account_id)
        statuses = await _statuses(uow, {int(status["id"]) for status in presented["statuses"]},
                                   viewer.account_id)
    items = _items(presented, statuses)
    bounds = grouped.bounds
    paged = page.max_id is not None or page.min_id is not None
    return browser.render(
        "notifications.html", status_code=status_code, items=items, chosen=chosen,
        filters=list(FILTERS), unread=unread, unread_limit=UNREAD_LIMIT,
        last_read_id=marker[0].last_read_id if marker else 0,
        requests_pending=requests_pending, error=error, paged=paged,
        newer_id=bounds[0] if bounds and paged else None,
        older_id=bounds[1] if bounds and len(grouped.groups) >= page.limit else None,
        newest_id=bounds[0] if bounds and not paged and chosen == "all" else None)


@router.get("/web/notifications", include_in_schema=False)
async def notifications_page(browser: SignedIn) -> Response:
    return await _notifications_page(browser)


@router.get("/web/notifications/stream", include_in_schema=False)
async def notification_stream(browser: SignedInFetch) -> Response:
    """The person's notification stream for the open page, authenticated by its session."""
    return await sse_response(browser.request, "user:notification", browser.session.viewer)


@router.get("/web/notifications/{notification_id}/card", include_in_schema=False)
async def notification_card(notification_id: str, browser: SignedInFetch) -> Response:
    """One notification as the page shows it: the live page inserts it when it arrives."""
    viewer_id = browser.session.viewer.account_id
    async with uows(browser.request).read() as uow:
        row = await uow.notifications.get(viewer_id, parse_id(notification_id) or 0)
        entities = row and await present_notifications(uow, [row], viewer_id=viewer_id,
                                                       origin=origin(browser.request))
        statuses = entities and await _statuses(uow, {row.status_id} - {None}, viewer_id)
    if not entities or (row.status_id is not None and row.status_id not in statuses):
        return browser.not_found()
    return browser.render("notification_card.html",
                          item=_item(entities[0], statuses.get(row.status_id)))


# What a button on these pages answers: (unit of work, the person, the id in the URL).
Answer = Callable[[UnitOfWork, int, int], Awaitable[None]]


async def _authorize(uow: UnitOfWork, me: int, requester_id: int) -> None:
    await authorize_follow_request(uow, account_id=me, requester_id=requester_id)


async def _reject(uow: UnitOfWork, me: int, requester_id: int) -> None:
    await reject_follow_request(uow, account_id=me, requester_id=requester_id)


async def _accept_held(uow: UnitOfWork, me: int, request_id: int) -> None:
    await accept_requests(uow, account_id=me, request_ids=[request_id], must_exist=True)


async def _dismiss_held(uow: UnitOfWork, me: int, request_id: int) -> None:
    await dismiss_requests(uow, account_id=me, request_ids=[request_id], must_exist=True)


def _answer_at(path: str, answer: Answer) -> None:
    """A button's route: answer for the id in the URL (`{target}`), then back to the page the
    form was on (`back`); what is not there to answer (any more) is explained, and nothing
    changes."""
    async def route(target: str, browser: SignedIn, form: GenuineForm) -> Response:
        from_requests = form.get("back") == "requests"
        target_id = parse_id(target)
        try:
            if target_id is None:
                raise NotFound()
            async with uows(browser.request).write() as uow:
                await answer(uow, browser.session.viewer.account_id, target_id)
        except DomainError as exc:
            error = "gone" if isinstance(exc, NotFound) else browser.explain(exc)
            page = _requests_page if from_requests else _notifications_page
            return await page(browser, error=error, status_code=exc.status_code)
        return browser.redirect("/web/notifications/requests" if from_requests
                                else "/web/notifications")

    router.add_api_route(path, route, methods=["POST"], include_in_schema=False,
                         name=f"web{answer.__name__}")


@router.post("/web/notifications/read", include_in_schema=False)
async def mark_read(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    raw = form.get("up_to", "")
    up_to = parse_id(raw) if raw else None
    if raw and up_to is None:
        return await _notifications_page(browser, error="bad form", status_code=400)
    async with uows(request).write() as uow:
        await mark_notifications_read(uow, account_id=browser.session.viewer.account_id,
                                      up_to=up_to)
    chosen = form.get("filter") if form.get("filter") in FILTERS else "all"
    return browser.redirect("/web/notifications" + ("" if chosen == "all"
                                                    else f"?filter={chosen}"))


async def _requests_page(browser: Browser, *, error: str | None = None,
                         status_code: int = 200) -> Response:
    request, viewer = browser.request, browser.session.viewer
    try:
        page = page_from(request, default=20, maximum=40)
    except DomainError as exc:
        return browser.problem(exc)
    async with uows(request).read() as uow:
        rows = await uow.notification_filters.requests(viewer.account_id, page)
        held = await present_requests(uow, rows, viewer_id=viewer.account_id,
                                      origin=origin(request))
    paged = page.max_id is not None or page.min_id is not None
    return browser.render(
        "notification_requests.html", status_code=status_code, held=held, error=error,
        paged=paged, newer_id=rows[0].id if rows and paged else None,
        older_id=rows[-1].id if len(rows) >= page.limit else None)


@router.get("/web/notifications/requests", include_in_schema=False)
async def requests_page(browser: SignedIn) -> Response:
    return await _requests_page(browser)


_answer_at("/web/follow_requests/{target}/authorize", _authorize)
_answer_at("/web/follow_requests/{target}/reject", _reject)
_answer_at("/web/notifications/requests/{target}/accept", _accept_held)
_answer_at("/web/notifications/requests/{target}/dismiss", _dismiss_held)
