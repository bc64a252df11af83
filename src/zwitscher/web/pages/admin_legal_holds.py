"""The administration console › Legal holds (owners and admins only): the cases and a form to
open one; a case's page with its facts, what the reader may do (approve or reject it as the
second admin, tell the person now, close it) and its access log; and the direct messages it
concerns, for the two admins of a case in force, each page read written to the audit log.

Days are typed and shown in the reader's time zone (their setting, else UTC). The rules are
the services' (`services/open_legal_hold.py` and its neighbours).
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from fastapi import APIRouter
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import DomainError, NotFound, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.domain.roles import Actor
from zwitscher.policies.console import Section
from zwitscher.services.close_legal_hold import close_legal_hold
from zwitscher.services.decide_legal_hold import approve_legal_hold, reject_legal_hold
from zwitscher.services.open_legal_hold import (
    MAX_REASON,
    MAX_REFERENCE,
    HoldRequest,
    open_legal_hold,
)
from zwitscher.services.read_held_messages import read_held_messages
from zwitscher.services.review_legal_holds import legal_hold_case, list_legal_holds
from zwitscher.services.tell_about_legal_hold import tell_person_now
from zwitscher.views.shown import show_statuses
from zwitscher.web.browser import Browser
from zwitscher.web.console import CONSOLE_PATH, open_console
from zwitscher.web.guards import GenuineForm, SignedIn
from zwitscher.web.local_times import person_zone

router = APIRouter()
LEGAL_HOLDS_PATH = f"{CONSOLE_PATH}/{Section.LEGAL_HOLDS}"
LIST_SIZE = 50
MESSAGES_PAGE_SIZE = 20
DONE = {"opened", "approved", "rejected", "closed", "told"}


def _id(raw: str) -> int:
    found = parse_id(raw)
    if found is None:
        raise NotFound()
    return found


def _midnight(raw: str, zone: str, problem: str, *, after: bool = False) -> datetime:
    """The start of a typed day in `zone` (`after`: of the day after it), in UTC."""
    try:
        day = date.fromisoformat(raw.strip()[:10])
    except ValueError:
        raise ValidationFailed(problem) from None
    if not 2000 <= day.year <= 9000:
        raise ValidationFailed(problem)
    start = datetime.combine(day + timedelta(days=1 if after else 0), time(),
                             tzinfo=zoneinfo.ZoneInfo(zone))
    return start.astimezone(UTC)


def _request(form: dict[str, str], zone: str) -> HoldRequest:
    return HoldRequest(
        username=form.get("username", "")[:200],
        reason=form.get("reason", "")[:MAX_REASON + 1],
        reference=form.get("reference", "")[:MAX_REFERENCE + 1],
        messages_from=_midnight(form.get("messages_from", ""), zone,
                                "The first day of the messages is not a date"),
        messages_until=_midnight(form.get("messages_until", ""), zone,
                                 "The last day of the messages is not a date", after=True),
        ends_at=_midnight(form.get("ends_on", ""), zone,
                          "The last day of the legal hold is not a date", after=True),
        tell_at_approval=form.get("tell") != "later",
        notice_deferred_because=form.get("notice_deferred_because", "")[:MAX_REASON + 1])


async def _list_page(browser: Browser, *, status_code: int = 200, error: str | None = None,
                     form: dict | None = None) -> Response:
    params = browser.request.query_params
    max_id = parse_id(params.get("max_id", ""))
    async with uows(browser.request).read() as uow:
        console = await open_console(uow, browser, Section.LEGAL_HOLDS)
        holds, people = await list_legal_holds(uow, actor=console.actor,
                                               page=Page(max_id=max_id, limit=LIST_SIZE))
    form = form or {"username": params.get("username", "")[:200]}
    return console.render(browser, "admin_legal_holds.html", status_code=status_code,
                          holds=holds, people=people, error=error, form=form,
                          zone=person_zone(browser), now=utcnow(),
                          older_id=holds[-1].id if len(holds) >= LIST_SIZE else None)


@router.get(LEGAL_HOLDS_PATH, include_in_schema=False)
async def legal_holds_page(browser: SignedIn) -> Response:
    return await _list_page(browser)


@router.post(LEGAL_HOLDS_PATH, include_in_schema=False)
async def open_hold(browser: SignedIn, form: GenuineForm) -> Response:
    try:
        async with uows(browser.request).write() as uow:
            console = await open_console(uow, browser, Section.LEGAL_HOLDS)
            hold_id = await open_legal_hold(uow, actor=console.actor,
                                            request=_request(form, person_zone(browser)))
    except DomainError as exc:
        return await _list_page(browser, status_code=exc.status_code, form=form,
                                error=browser.explain(exc))
    return browser.redirect(f"{LEGAL_HOLDS_PATH}/{hold_id}?done=opened")


async def _case_page(browser: Browser, raw_id: str, *, status_code: int = 200,
                     error: str | None = None) -> Response:
    try:
        async with uows(browser.request).read() as uow:
            console = await open_console(uow, browser, Section.LEGAL_HOLDS)
            case = await legal_hold_case(uow, actor=console.actor, hold_id=_id(raw_id))
    except DomainError as exc:
        return browser.problem(exc)
    done = browser.request.query_params.get("done")
    return console.render(browser, "admin_legal_hold.html", status_code=status_code,
                          case=case, hold=case.hold, people=case.people, error=error,
                          done=done if done in DONE else None)


@router.get(LEGAL_HOLDS_PATH + "/{hold_id}", include_in_schema=False)
async def case_page(hold_id: str, browser: SignedIn) -> Response:
    return await _case_page(browser, hold_id)


async def _approve(uow: UnitOfWork, actor: Actor, hold_id: int, _form: dict[str, str]) -> str:
    await approve_legal_hold(uow, actor=actor, hold_id=hold_id)
    return "approved"


async def _reject(uow: UnitOfWork, actor: Actor, hold_id: int, form: dict[str, str]) -> str:
    await reject_legal_hold(uow, actor=actor, hold_id=hold_id,
                            note=form.get("note", "")[:MAX_REASON + 1])
    return "rejected"


async def _close(uow: UnitOfWork, actor: Actor, hold_id: int, _form: dict[str, str]) -> str:
    await close_legal_hold(uow, actor=actor, hold_id=hold_id)
    return "closed"


async def _tell(uow: UnitOfWork, actor: Actor, hold_id: int, _form: dict[str, str]) -> str:
    await tell_person_now(uow, actor=actor, hold_id=hold_id)
    return "told"


ACTIONS = {"approve": _approve, "reject": _reject, "close": _close, "tell": _tell}


@router.post(LEGAL_HOLDS_PATH + "/{hold_id}/{action}", include_in_schema=False)
async def case_action(hold_id: str, action: str, browser: SignedIn,
                      form: GenuineForm) -> Response:
    chosen = ACTIONS.get(action)
    if chosen is None:
        return browser.not_found()
    try:
        async with uows(browser.request).write() as uow:
            console = await open_console(uow, browser, Section.LEGAL_HOLDS)
            done = await chosen(uow, console.actor, _id(hold_id), form)
    except NotFound as exc:
        return browser.problem(exc)
    except DomainError as exc:
        return await _case_page(browser, hold_id, status_code=exc.status_code,
                                error=browser.explain(exc))
    return browser.redirect(f"{LEGAL_HOLDS_PATH}/{hold_id}?done={done}")


@router.get(LEGAL_HOLDS_PATH + "/{hold_id}/messages", include_in_schema=False)
async def messages_page(hold_id: str, browser: SignedIn) -> Response:
    """A GET that writes: the audit log entry of this read commits with it."""
    max_id = parse_id(browser.request.query_params.get("max_id", ""))
    try:
        async with uows(browser.request).write() as uow:
            console = await open_console(uow, browser, Section.LEGAL_HOLDS)
            held = await read_held_messages(uow, actor=console.actor, hold_id=_id(hold_id),
                                            page=Page(max_id=max_id, limit=MESSAGES_PAGE_SIZE))
            # As nobody in particular sees them: no reader's filters, marks or buttons.
            statuses, _ = await show_statuses(uow, held.status_ids, viewer_id=None)
    except DomainError as exc:
        return browser.problem(exc)
    ids = held.status_ids
    return console.render(browser, "admin_legal_hold_messages.html", hold=held.hold,
                          person=held.person, statuses=statuses, paged=max_id is not None,
                          older_id=ids[-1] if len(ids) >= MESSAGES_PAGE_SIZE else None)
