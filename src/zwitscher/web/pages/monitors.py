"""Monitors in the web interface: my monitors and my teams' (with their matches of the last
24 hours), the form that makes and changes one, its deletion after a confirmation, and its
timeline, live over the monitor's stream.

    /web/monitors                        the list; POST makes one
    /web/monitors/new                    the form for a new one
    /web/monitors/{id}                   its timeline (matched terms listed per post)
    /web/monitors/{id}/edit              the form again; POST changes it
    /web/monitors/{id}/delete            the confirmation; POST deletes it
    /web/monitors/{id}/stream            its timeline live (SSE: `update` with the post's id)
    /web/monitors/{id}/cards/{status}    one post as the timeline shows it (what web.js fetches)
    /web/monitors/{id}/insights          (web/pages/monitor_insights.py)

The same services as the API's monitor routes; a monitor the reader may not read is "not
found". A webhook's secret is shown once, on the page that answers the form that made it.
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson
from fastapi import APIRouter, Request
from starlette.responses import Response

from zwitscher.api.deps import actor_of, uows
from zwitscher.api.pagination import page_from
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import DomainError, NotFound, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.domain.monitors import MAX_NAME, MAX_TERMS, Term
from zwitscher.policies.monitors import webhook_sends
from zwitscher.services.change_monitor import change_monitor
from zwitscher.services.create_monitor import MonitorDraft, create_monitor
from zwitscher.services.delete_monitor import delete_monitor
from zwitscher.services.read_monitor_matches import matched_terms, recent_match_counts
from zwitscher.services.show_monitor import (
    list_monitors,
    may_change,
    monitor_timeline,
    show_monitor,
)
from zwitscher.streaming.events import Token
from zwitscher.streaming.monitors import monitor_stream
from zwitscher.web.browser import Browser
from zwitscher.web.guards import GenuineForm, SignedIn, SignedInFetch
from zwitscher.web.timeline import shown_statuses, timeline_context

router = APIRouter()

PATH = "/web/monitors"
# The form's owner field for a monitor of one's own (a team is named by its group's id).
ME = "me"
# More lines than this in one field are refused before any is looked at.
MOST_LINES = MAX_TERMS * 2


def _monitor_id(raw: str) -> int:
    monitor_id = parse_id(raw)
    if monitor_id is None:
        raise NotFound()
    return monitor_id


def _lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MOST_LINES:
        raise ValidationFailed("A monitor has at most %(count)s terms, not %(given)s",
                               count=MAX_TERMS, given=len(lines))
    return lines


def _words(text: str) -> list[str]:
    """Hashtags, accounts, languages: one a line, or separated by spaces or commas."""
    return _lines(text.replace(",", "\n").replace(" ", "\n"))


@dataclass(frozen=True, slots=True)
class _Form:
    """A monitor form's fields as the services take them."""

    draft: MonitorDraft
    team_id: int | None


async def _form(uow: UnitOfWork, form: dict[str, str], group_ids: list[str]) -> _Form:
    whole_word = form.get("whole_word") == "on"
    usernames = [name.removeprefix("@").split("@")[0] for name in _words(form.get("accounts", ""))]
    found = await uow.accounts.by_usernames(usernames)
    unknown = [name for name in usernames if name.lower() not in found]
    if unknown:
        raise ValidationFailed("No one here has the username %(username)s",
                               username=unknown[0][:100])
    ids = [parse_id(raw) for raw in group_ids]
    if None in ids:
        raise ValidationFailed("No such group among the monitor's groups")
    owner = form.get("owner", ME)
    team_id = None if owner == ME else parse_id(owner)
    if owner != ME and team_id is None:
        raise NotFound("No such group")
    draft = MonitorDraft(
        name=form.get("name", ""),
        keywords=tuple(Term(text, whole_word) for text in _lines(form.get("keywords", ""))),
        exclusions=tuple(Term(text, whole_word)
                         for text in _lines(form.get("exclusions", ""))),
        languages=tuple(_words(form.get("languages", ""))),
        hashtags=tuple(_words(form.get("hashtags", ""))),
        account_ids=tuple(found[name.lower()].id for name in usernames),
        group_ids=tuple(ids),
        alert_email=form.get("alert_email") == "on", alert_push=form.get("alert_push") == "on",
        webhook_url=form.get("webhook_url", "").strip() or None,
        webhook_secret=form.get("webhook_secret", "").strip() or None)
    return _Form(draft, team_id)


async def _fields_of(uow: UnitOfWork, row) -> dict:
    """A stored monitor as the form shows it."""
    accounts = await uow.accounts.get_many([int(i) for i in row.account_ids])
    terms = [*row.keywords, *row.exclusions]
    return {"name": row.name, "owner": str(row.group_id) if row.group_id else ME,
            "keywords": "\n".join(t["term"] for t in row.keywords),
            "exclusions": "\n".join(t["term"] for t in row.exclusions),
            "whole_word": "on" if terms and any(t["whole_word"] for t in terms) else "",
            "languages": " ".join(row.languages),
            "hashtags": " ".join("#" + tag for tag in row.hashtags),
            "accounts": " ".join("@" + accounts[int(i)].username for i in row.account_ids
                                 if int(i) in accounts),
            "group_ids": list(row.group_ids),
            "alert_email": "on" if row.alert_email else "",
            "alert_push": "on" if row.alert_push else "",
            "webhook_url": row.webhook_url or ""}


async def _form_page(browser: Browser, *, monitor=None, fields: dict | None = None,
                     error: str | None = None, status_code: int = 200) -> Response:
    account_id = browser.session.viewer.account_id
    async with uows(browser.request).read() as uow:
        groups = list(await uow.groups.groups_of(account_id))
        fields = fields if fields is not None else (
            await _fields_of(uow, monitor) if monitor is not None else {"owner": ME})
        chosen = [int(i) for i in fields.get("group_ids", ()) if (parse_id(str(i)) or 0)]
        mine = {group.id for group in groups}
        extra = [g for g in (await uow.groups.get_many([i for i in chosen if i not in mine]))
                 .values()] if any(i not in mine for i in chosen) else []
        team = await uow.groups.get(monitor.group_id) if monitor is not None \
            and monitor.group_id else None
        webhook_stopped = monitor is not None and bool(monitor.webhook_url) \
            and not await webhook_sends(uow, monitor)
    return browser.render("monitor_form.html", status_code=status_code, monitor=monitor,
                          fields=fields, error=error, groups=groups + extra, team=team,
                          chosen={str(i) for i in chosen}, me=ME, max_name=MAX_NAME,
                          webhook_stopped=webhook_stopped)


def _secret_page(browser: Browser, row, *, created: bool) -> Response:
    return browser.render("monitor_secret.html", monitor=row, created=created)


@router.get(PATH, include_in_schema=False)
async def my_monitors(browser: SignedIn) -> Response:
    account_id = browser.session.viewer.account_id
    async with uows(browser.request).read() as uow:
        rows = await list_monitors(uow, account_id=account_id)
        counts = await recent_match_counts(uow, [row.id for row in rows])
        teams = await uow.groups.get_many([row.group_id for row in rows if row.group_id])
    return browser.render("monitors.html", monitors=rows, counts=counts, teams=teams)


@router.get(PATH + "/new", include_in_schema=False)
async def new_monitor_form(browser: SignedIn) -> Response:
    return await _form_page(browser)


@router.post(PATH, include_in_schema=False)
async def new_monitor(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    group_ids = (await request.form()).getlist("group_ids")
    try:
        async with uows(request).write() as uow:
            fields = await _form(uow, form, group_ids)
            actor = await actor_of(uow, browser.session.viewer)
            row = await create_monitor(uow, actor=actor, draft=fields.draft,
                                       team_id=fields.team_id)
    except DomainError as exc:
        return await _form_page(browser, fields={**form, "group_ids": group_ids},
                                error=browser.explain(exc), status_code=exc.status_code)
    if row.webhook_url:
        return _secret_page(browser, row, created=True)
    return browser.redirect(f"{PATH}/{row.id}")


async def _readable(browser: Browser, raw_id: str):
    async with uows(browser.request).read() as uow:
        row = await show_monitor(uow, account_id=browser.session.viewer.account_id,
                                 monitor_id=_monitor_id(raw_id))
        actor = await actor_of(uow, browser.session.viewer)
        return row, await may_change(uow, actor=actor, monitor=row)


@router.get(PATH + "/{monitor_id}", include_in_schema=False)
async def monitor_page(monitor_id: str, browser: SignedIn) -> Response:
    request, account_id = browser.request, browser.session.viewer.account_id
    try:
        page = page_from(request)
        async with uows(request).read() as uow:
            row = await show_monitor(uow, account_id=account_id,
                                     monitor_id=_monitor_id(monitor_id))
            ids = await monitor_timeline(uow, account_id=account_id, monitor_id=row.id,
                                         page=page)
            context = await timeline_context(uow, browser, [_Id(i) for i in ids], page,
                                             path=f"{PATH}/{row.id}", filter_context="home")
            terms = await matched_terms(uow, account_id=account_id, monitor_id=row.id,
                                        status_ids=ids)
            actor = await actor_of(uow, browser.session.viewer)
            changeable = await may_change(uow, actor=actor, monitor=row)
            team = await uow.groups.get(row.group_id) if row.group_id else None
            count = (await recent_match_counts(uow, [row.id]))[row.id]
    except DomainError as exc:
        return browser.problem(exc)
    return browser.render("monitor.html", monitor=row, terms=terms, may_change=changeable,
                          team=team, count=count, live=f"{PATH}/{row.id}/stream",
                          card=f"{PATH}/{row.id}/cards/", **context)


@dataclass(frozen=True, slots=True)
class _Id:
    """A timeline row as `timeline_context` reads it."""

    id: int


@router.get(PATH + "/{monitor_id}/cards/{status_id}", include_in_schema=False)
async def monitor_card(monitor_id: str, status_id: str, browser: SignedInFetch) -> Response:
    """One matched post as the monitor's timeline shows it: the live page inserts it when the
    stream says so."""
    account_id = browser.session.viewer.account_id
    try:
        async with uows(browser.request).read() as uow:
            wanted = parse_id(status_id) or 0
            terms = await matched_terms(uow, account_id=account_id,
                                        monitor_id=_monitor_id(monitor_id), status_ids=[wanted])
            shown = await shown_statuses(uow, [wanted], viewer_id=account_id,
                                         filter_context="home") if wanted in terms else []
    except DomainError as exc:
        return browser.problem(exc)
    if not shown:
        return browser.not_found()
    return browser.render("monitor_card.html", status=shown[0], terms=terms,
                          back=f"{PATH}/{_monitor_id(monitor_id)}")


@router.get(PATH + "/{monitor_id}/stream", include_in_schema=False)
async def stream(monitor_id: str, browser: SignedInFetch) -> Response:
    """The monitor's timeline live for the page: each event names the post (the page fetches
    its card, in the reader's language)."""
    viewer = browser.session.viewer

    async def render(_uow: UnitOfWork, status_id: int) -> bytes:
        return orjson.dumps({"id": str(status_id)})

    try:
        return await monitor_stream(uows=uows(browser.request),
                                    broker=browser.request.app.state.broker,
                                    monitor_id=_monitor_id(monitor_id),
                                    token=Token(viewer.account_id, viewer.token_id),
                                    render=render)
    except DomainError as exc:
        return browser.problem(exc)


@router.get(PATH + "/{monitor_id}/edit", include_in_schema=False)
async def edit_form(monitor_id: str, browser: SignedIn) -> Response:
    try:
        row, changeable = await _readable(browser, monitor_id)
    except DomainError as exc:
        return browser.problem(exc)
    if not changeable:
        return browser.render("problem.html", status_code=403, message=None)
    return await _form_page(browser, monitor=row)


@router.post(PATH + "/{monitor_id}/edit", include_in_schema=False)
async def edit(request: Request, monitor_id: str, browser: SignedIn,
               form: GenuineForm) -> Response:
    group_ids = (await request.form()).getlist("group_ids")
    try:
        row, _ = await _readable(browser, monitor_id)
    except DomainError as exc:
        return browser.problem(exc)
    try:
        async with uows(request).write() as uow:
            fields = await _form(uow, {**form, "owner": ME}, group_ids)
            actor = await actor_of(uow, browser.session.viewer)
            changed = await change_monitor(uow, actor=actor, monitor_id=row.id,
                                           draft=fields.draft)
    except DomainError as exc:
        if exc.status_code in (403, 404):
            return browser.problem(exc)
        return await _form_page(browser, monitor=row,
                                fields={**form, "owner": str(row.group_id or ME),
                                        "group_ids": group_ids},
                                error=browser.explain(exc), status_code=exc.status_code)
    if changed.webhook_url and changed.webhook_secret != row.webhook_secret:
        return _secret_page(browser, changed, created=False)
    return browser.redirect(f"{PATH}/{changed.id}")


@router.get(PATH + "/{monitor_id}/delete", include_in_schema=False)
async def confirm_deletion(monitor_id: str, browser: SignedIn) -> Response:
    """The confirmation step, a page of its own so that it works without JavaScript."""
    try:
        row, changeable = await _readable(browser, monitor_id)
    except DomainError as exc:
        return browser.problem(exc)
    if not changeable:
        return browser.render("problem.html", status_code=403, message=None)
    return browser.render("monitor_delete.html", monitor=row)


@router.post(PATH + "/{monitor_id}/delete", include_in_schema=False)
async def remove(request: Request, monitor_id: str, browser: SignedIn,
                 _form: GenuineForm) -> Response:
    try:
        async with uows(request).write() as uow:
            actor = await actor_of(uow, browser.session.viewer)
            await delete_monitor(uow, actor=actor, monitor_id=_monitor_id(monitor_id))
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(PATH)
