"""The administration console › Announcements: what is showing now, what is scheduled and
what has ended; write one (text, optional start and end), change it, end it now, delete it.

Times are typed and shown in a time zone the person chooses on the form: at first their own
(their setting), else the one they chose last (a cookie), else UTC; they are stored in UTC.
The rules (admins only, the end after the start) are `services/write_announcement.py`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from fastapi import APIRouter
from starlette.responses import Response

from zwitscher import i18n
from zwitscher.api.deps import uows
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import DomainError, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.policies.console import Section
from zwitscher.services.write_announcement import (
    MAX_LENGTH,
    AnnouncementDraft,
    all_announcements,
    create_announcement,
    delete_announcement,
    end_announcement,
    update_announcement,
)
from zwitscher.web.browser import Browser
from zwitscher.web.console import CONSOLE_PATH, open_console
from zwitscher.web.guards import GenuineForm, SignedIn
from zwitscher.web.local_times import ZONES, field_value, local_moment, zone_info

router = APIRouter()
ANNOUNCEMENTS_PATH = f"{CONSOLE_PATH}/{Section.ANNOUNCEMENTS}"
ZONE_COOKIE = "zw_zone"


@dataclass(frozen=True, slots=True)
class Listed:
    row: sa.Row
    state: str  # "current", "scheduled", "draft" or "ended"
    starts_at: datetime | None
    ends_at: datetime | None


def _zone_of(browser: Browser, chosen: str | None = None) -> str:
    zone = chosen or (browser.user.time_zone if browser.user is not None else None) \
        or browser.request.cookies.get(ZONE_COOKIE)
    return zone if zone in ZONES else "UTC"


def _state(row: sa.Row, now: datetime) -> str:
    if row.ends_at is not None and row.ends_at <= now:
        return "ended"
    if not row.published:
        return "draft"
    return "scheduled" if row.starts_at is not None and row.starts_at > now else "current"


def _local(moment: datetime | None, zone: str) -> datetime | None:
    return moment.astimezone(zone_info(zone)) if moment is not None else None


def _draft(form: dict[str, str], zone: str) -> AnnouncementDraft:
    if form.get("zone", "UTC") not in ZONES:
        raise ValidationFailed("Choose a time zone from the list")
    return AnnouncementDraft(
        text=form.get("text", "")[:MAX_LENGTH + 1],
        starts_at=local_moment(form.get("starts_at", ""), zone, "The start is not a date and time"),
        ends_at=local_moment(form.get("ends_at", ""), zone, "The end is not a date and time"))


async def _list_page(browser: Browser, *, status_code: int = 200, error: str | None = None,
                     form: dict | None = None) -> Response:
    zone = _zone_of(browser, (form or {}).get("zone"))
    now = utcnow()
    async with uows(browser.request).read() as uow:
        console = await open_console(uow, browser, Section.ANNOUNCEMENTS)
        rows = await all_announcements(uow, actor=console.actor)
    listed: dict[str, list[Listed]] = {"current": [], "scheduled": [], "ended": []}
    for row in rows:
        state = _state(row, now)
        listed["scheduled" if state == "draft" else state].append(
            Listed(row, state, _local(row.starts_at or row.published_at, zone),
                   _local(row.ends_at, zone)))
    return console.render(browser, "admin_announcements.html", status_code=status_code,
                          listed=listed, zone=zone, zones=ZONES, error=error,
                          in_zone=i18n.Formatter(browser.language, zone),
                          form=form or {}, max_length=MAX_LENGTH,
                          done=browser.request.query_params.get("done", ""))


@router.get(ANNOUNCEMENTS_PATH, include_in_schema=False)
async def announcements_page(browser: SignedIn) -> Response:
    return await _list_page(browser)


@router.post(ANNOUNCEMENTS_PATH, include_in_schema=False)
async def announcement_create(browser: SignedIn, form: GenuineForm) -> Response:
    zone = _zone_of(browser, form.get("zone", "UTC"))
    try:
        async with uows(browser.request).write() as uow:
            console = await open_console(uow, browser, Section.ANNOUNCEMENTS)
            await create_announcement(uow, actor=console.actor, draft=_draft(form, zone))
    except DomainError as exc:
        return await _list_page(browser, status_code=exc.status_code, form=form,
                                error=browser.explain(exc))
    browser.cookies_to_set[ZONE_COOKIE] = zone
    return browser.redirect(f"{ANNOUNCEMENTS_PATH}?done=created")


async def _edit_page(browser: Browser, announcement_id: int, *, status_code: int = 200,
                     error: str | None = None, form: dict | None = None) -> Response:
    async with uows(browser.request).read() as uow:
        console = await open_console(uow, browser, Section.ANNOUNCEMENTS)
        row = await uow.announcements.get(announcement_id)
    if row is None:
        return browser.not_found()
    zone = _zone_of(browser, (form or {}).get("zone"))
    shown = form or {"text": row.text, "starts_at": field_value(row.starts_at, zone),
                     "ends_at": field_value(row.ends_at, zone)}
    return console.render(browser, "admin_announcement_edit.html", status_code=status_code,
                          announcement=row, form=shown, zone=zone, zones=ZONES, error=error,
                          max_length=MAX_LENGTH)


@router.get(ANNOUNCEMENTS_PATH + "/{raw_id}", include_in_schema=False)
async def announcement_page(raw_id: str, browser: SignedIn) -> Response:
    announcement_id = parse_id(raw_id)
    if announcement_id is None:
        return browser.not_found()
    return await _edit_page(browser, announcement_id)


@router.post(ANNOUNCEMENTS_PATH + "/{raw_id}", include_in_schema=False)
async def announcement_save(raw_id: str, browser: SignedIn, form: GenuineForm) -> Response:
    announcement_id = parse_id(raw_id)
    if announcement_id is None:
        return browser.not_found()
    zone = _zone_of(browser, form.get("zone", "UTC"))
    try:
        async with uows(browser.request).write() as uow:
            console = await open_console(uow, browser, Section.ANNOUNCEMENTS)
            draft = _draft(form, zone)
            await update_announcement(uow, actor=console.actor, announcement_id=announcement_id,
                                      changes=dict(text=draft.text, starts_at=draft.starts_at,
                                                   ends_at=draft.ends_at))
    except DomainError as exc:
        if exc.status_code == 404:
            return browser.not_found()
        return await _edit_page(browser, announcement_id, status_code=exc.status_code,
                                form=form, error=browser.explain(exc))
    browser.cookies_to_set[ZONE_COOKIE] = zone
    return browser.redirect(f"{ANNOUNCEMENTS_PATH}?done=saved")


@router.post(ANNOUNCEMENTS_PATH + "/{raw_id}/end", include_in_schema=False)
async def announcement_end(raw_id: str, browser: SignedIn, _form: GenuineForm) -> Response:
    announcement_id = parse_id(raw_id)
    if announcement_id is None:
        return browser.not_found()
    try:
        async with uows(browser.request).write() as uow:
            console = await open_console(uow, browser, Section.ANNOUNCEMENTS)
            await end_announcement(uow, actor=console.actor, announcement_id=announcement_id)
    except DomainError as exc:
        if exc.status_code == 404:
            return browser.not_found()
        return await _list_page(browser, status_code=exc.status_code,
                                error=browser.explain(exc))
    return browser.redirect(f"{ANNOUNCEMENTS_PATH}?done=ended")


@router.get(ANNOUNCEMENTS_PATH + "/{raw_id}/delete", include_in_schema=False)
async def announcement_delete_page(raw_id: str, browser: SignedIn) -> Response:
    announcement_id = parse_id(raw_id)
    async with uows(browser.request).read() as uow:
        console = await open_console(uow, browser, Section.ANNOUNCEMENTS)
        row = await uow.announcements.get(announcement_id) if announcement_id else None
    if row is None:
        return browser.not_found()
    return console.render(browser, "admin_announcement_delete.html", announcement=row)


@router.post(ANNOUNCEMENTS_PATH + "/{raw_id}/delete", include_in_schema=False)
async def announcement_delete(raw_id: str, browser: SignedIn, _form: GenuineForm) -> Response:
    announcement_id = parse_id(raw_id)
    if announcement_id is None:
        return browser.not_found()
    try:
        async with uows(browser.request).write() as uow:
            console = await open_console(uow, browser, Section.ANNOUNCEMENTS)
            await delete_announcement(uow, actor=console.actor, announcement_id=announcement_id)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(f"{ANNOUNCEMENTS_PATH}?done=deleted")
