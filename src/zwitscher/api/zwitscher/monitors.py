"""Monitors under our API (docs/monitoring.md): saved queries, their timelines and streams.

    GET    /api/zwitscher/v1/monitors                 the monitors you read (read:monitors)
    POST   /api/zwitscher/v1/monitors                 create one (write:monitors)
    GET    /api/zwitscher/v1/monitors/{id}            one
    PUT    /api/zwitscher/v1/monitors/{id}            change it (the whole monitor again)
    PATCH  /api/zwitscher/v1/monitors/{id}            change the parts given
    DELETE /api/zwitscher/v1/monitors/{id}            delete it
    GET    /api/zwitscher/v1/monitors/{id}/statuses   its timeline (Status entities, paged)
    GET    /api/zwitscher/v1/monitors/{id}/stream     its timeline live (SSE)

A monitor you may not read is not found (404), whoever keeps it.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Depends, Request
from starlette.responses import StreamingResponse
from typing_extensions import TypedDict

from zwitscher.api.deps import Origin, actor_of, path_id, scoped, uows
from zwitscher.api.entities import Status
from zwitscher.api.operations import declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Id, Params, parse, with_examples
from zwitscher.api.presenters.statuses import present_status, render_statuses
from zwitscher.api.responses import JSON, RawJSON
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.domain.monitors import Term
from zwitscher.services.change_monitor import change_monitor
from zwitscher.services.create_monitor import MonitorDraft, create_monitor
from zwitscher.services.delete_monitor import delete_monitor
from zwitscher.services.oauth import Viewer
from zwitscher.services.show_monitor import (
    list_monitors,
    may_change,
    monitor_timeline,
    show_monitor,
)
from zwitscher.streaming.events import Token
from zwitscher.streaming.monitors import monitor_stream
from zwitscher.views.press_conferences import iso

PATH = "/api/zwitscher/v1/monitors"
router = APIRouter(prefix=PATH)
# More than this many items in one list is refused before any is looked at.
MOST_ITEMS = 10_000


class MonitorIn(Params):
    model_config = with_examples({
        "name": "Our brand", "keywords": ["Zwitscher", {"term": "ZW", "whole_word": True}],
        "exclusions": ["job offer"], "languages": ["de", "en"], "hashtags": ["zwitscher"],
        "alerts": {"email": True, "push": False}})

    name: str | None = None
    team_id: Id | None = None
    keywords: list[Any] | None = None
    exclusions: list[Any] | None = None
    languages: list[str] | None = None
    hashtags: list[str] | None = None
    account_ids: list[Id] | None = None
    group_ids: list[Id] | None = None
    alerts: dict[str, bool] | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None


class MonitorTerm(TypedDict):
    term: str
    whole_word: bool


class MonitorAlerts(TypedDict):
    email: bool
    push: bool
    webhook: bool


class Monitor(TypedDict):
    id: str
    name: str
    owner_id: str | None  # a person's monitor
    team_id: str | None  # a team's (group's) monitor
    keywords: list[MonitorTerm]
    exclusions: list[MonitorTerm]
    languages: list[str]
    hashtags: list[str]
    account_ids: list[str]
    group_ids: list[str]
    alerts: MonitorAlerts
    webhook_url: str | None  # for those who may change it
    webhook_secret: str | None  # for those who may change it
    may_change: bool
    created_at: str
    updated_at: str


def monitor_data(row, *, changeable: bool) -> dict:
    return {"id": str(row.id), "name": row.name,
            "owner_id": str(row.owner_id) if row.owner_id else None,
            "team_id": str(row.group_id) if row.group_id else None,
            "keywords": row.keywords, "exclusions": row.exclusions,
            "languages": row.languages, "hashtags": row.hashtags,
            "account_ids": row.account_ids, "group_ids": row.group_ids,
            "alerts": {"email": row.alert_email, "push": row.alert_push,
                       "webhook": bool(row.webhook_url)},
            "webhook_url": row.webhook_url if changeable else None,
            "webhook_secret": row.webhook_secret if changeable else None,
            "may_change": changeable,
            "created_at": iso(row.created_at), "updated_at": iso(row.updated_at)}


def _terms(raw: list | None, name: str) -> tuple[Term, ...]:
    terms = []
    for item in raw or ():
        if isinstance(item, str):
            terms.append(Term(item))
        elif isinstance(item, dict) and isinstance(item.get("term"), str):
            terms.append(Term(item["term"], bool(item.get("whole_word", False))))
        else:
            raise ValidationFailed("Each of %(name)s is a text or {\"term\": ..., "
                                   "\"whole_word\": ...}", name=name)
    return tuple(terms)


def _ids(raw: list | None, what: str) -> tuple[int, ...]:
    ids = tuple(parse_id(str(value)) for value in raw or ())
    if None in ids:
        raise ValidationFailed("No such %(what)s among the monitor's %(what)ss", what=what)
    return ids


def _strings(raw: list | None) -> tuple[str, ...]:
    return tuple(value for value in raw or () if isinstance(value, str))


def _draft(form: MonitorIn, current: MonitorDraft | None = None) -> MonitorDraft:
    for part in (form.keywords, form.exclusions, form.languages, form.hashtags,
                 form.account_ids, form.group_ids):
        if part is not None and len(part) > MOST_ITEMS:
            raise ValidationFailed("A monitor has at most %(count)s terms, not %(given)s",
                                   count=200, given=len(part))
    base = current or MonitorDraft(name="")
    alerts = form.alerts or {}
    return MonitorDraft(
        name=base.name if form.name is None else form.name,
        keywords=base.keywords if form.keywords is None else _terms(form.keywords, "keywords"),
        exclusions=base.exclusions if form.exclusions is None
        else _terms(form.exclusions, "exclusions"),
        languages=base.languages if form.languages is None else _strings(form.languages),
        hashtags=base.hashtags if form.hashtags is None else _strings(form.hashtags),
        account_ids=base.account_ids if form.account_ids is None
        else _ids(form.account_ids, "account"),
        group_ids=base.group_ids if form.group_ids is None else _ids(form.group_ids, "group"),
        alert_email=bool(alerts.get("email", base.alert_email)),
        alert_push=bool(alerts.get("push", base.alert_push)),
        webhook_url=base.webhook_url if form.webhook_url is None else form.webhook_url,
        webhook_secret=form.webhook_secret, webhook_url_given=form.webhook_url is not None)


def draft_of(row) -> MonitorDraft:
    """A stored monitor as a draft (what PATCH changes parts of)."""
    return MonitorDraft(
        name=row.name, keywords=tuple(Term(t["term"], t["whole_word"]) for t in row.keywords),
        exclusions=tuple(Term(t["term"], t["whole_word"]) for t in row.exclusions),
        languages=tuple(row.languages), hashtags=tuple(row.hashtags),
        account_ids=tuple(int(i) for i in row.account_ids),
        group_ids=tuple(int(i) for i in row.group_ids), alert_email=row.alert_email,
        alert_push=row.alert_push, webhook_url=row.webhook_url)


async def _answer(uow: UnitOfWork, viewer: Viewer, row) -> JSON:
    actor = await actor_of(uow, viewer)
    return JSON(monitor_data(row, changeable=await may_change(uow, actor=actor, monitor=row)))


def _reader(viewer: Viewer) -> int:
    return viewer.person_id or viewer.account_id


@router.get("")
@declare(returns=list[Monitor])
async def index(request: Request, viewer: Viewer = Depends(scoped("read:monitors"))) -> JSON:
    """Your own monitors and those of your teams, newest first."""
    async with uows(request).read() as uow:
        rows = await list_monitors(uow, account_id=_reader(viewer))
        actor = await actor_of(uow, viewer)
        return JSON([monitor_data(row, changeable=await may_change(uow, actor=actor,
                                                                   monitor=row))
                      for row in rows])


@router.post("")
@declare(returns=Monitor, takes=MonitorIn, errors=(403, 404))
async def create(request: Request, viewer: Viewer = Depends(scoped("write:monitors"))) -> JSON:
    """Create a monitor: yours, or with `team_id` your team's (a group you belong to)."""
    form = await parse(request, MonitorIn)
    team_id = None if form.team_id is None else parse_id(str(form.team_id))
    if form.team_id is not None and team_id is None:
        raise NotFound("No such group")
    async with uows(request).write() as uow:
        actor = await actor_of(uow, viewer)
        row = await create_monitor(uow, actor=actor, draft=_draft(form), team_id=team_id)
        return await _answer(uow, viewer, row)


@router.get("/{monitor_id}")
@declare(returns=Monitor)
async def show(request: Request, monitor_id: str,
               viewer: Viewer = Depends(scoped("read:monitors"))) -> JSON:
    async with uows(request).read() as uow:
        row = await show_monitor(uow, account_id=_reader(viewer), monitor_id=path_id(monitor_id))
        return await _answer(uow, viewer, row)


async def _change(request: Request, monitor_id: str, viewer: Viewer, *, whole: bool) -> JSON:
    form = await parse(request, MonitorIn)
    async with uows(request).write() as uow:
        actor = await actor_of(uow, viewer)
        row = await show_monitor(uow, account_id=actor.account_id,
                                 monitor_id=path_id(monitor_id))
        draft = _draft(form, None if whole else draft_of(row))
        row = await change_monitor(uow, actor=actor, monitor_id=row.id, draft=draft)
        return await _answer(uow, viewer, row)


@router.put("/{monitor_id}")
@declare(returns=Monitor, takes=MonitorIn, errors=(403,))
async def replace(request: Request, monitor_id: str,
                  viewer: Viewer = Depends(scoped("write:monitors"))) -> JSON:
    """Change the whole monitor (parts left out become empty)."""
    return await _change(request, monitor_id, viewer, whole=True)


@router.patch("/{monitor_id}")
@declare(returns=Monitor, takes=MonitorIn, errors=(403,))
async def update(request: Request, monitor_id: str,
                 viewer: Viewer = Depends(scoped("write:monitors"))) -> JSON:
    """Change the parts given."""
    return await _change(request, monitor_id, viewer, whole=False)


@router.delete("/{monitor_id}")
@declare(returns=dict, errors=(403,))
async def delete(request: Request, monitor_id: str,
                 viewer: Viewer = Depends(scoped("write:monitors"))) -> JSON:
    async with uows(request).write() as uow:
        actor = await actor_of(uow, viewer)
        await delete_monitor(uow, actor=actor, monitor_id=path_id(monitor_id))
    return JSON({})


@router.get("/{monitor_id}/statuses")
@declare(returns=list[Status], paged=True)
async def statuses(request: Request, monitor_id: str, origin: Origin,
                   viewer: Viewer = Depends(scoped("read:monitors"))) -> RawJSON:
    """The monitor's matched posts you may see, newest first."""
    page = page_from(request)
    reader = _reader(viewer)
    async with uows(request).read() as uow:
        ids = await monitor_timeline(uow, account_id=reader, monitor_id=path_id(monitor_id),
                                     page=page)
        presented = await render_statuses(uow, ids, viewer_id=reader, origin=origin)
    response = RawJSON(presented.json_array())
    link_header(request, response, ids)
    return response


@router.get("/{monitor_id}/stream")
@declare(returns=str, media_type="text/event-stream")
async def stream(request: Request, monitor_id: str, origin: Origin,
                 viewer: Viewer = Depends(scoped("read:monitors"))) -> StreamingResponse:
    """The monitor's timeline live, as Server-Sent Events (docs/monitoring.md)."""
    reader = _reader(viewer)

    async def render(uow: UnitOfWork, status_id: int) -> bytes | None:
        row = await uow.statuses.get(status_id)
        if row is None:
            return None
        try:
            return orjson.dumps(await present_status(uow, row, viewer_id=reader, origin=origin))
        except NotFound:
            return None

    return await monitor_stream(uows=uows(request), broker=request.app.state.broker,
                                monitor_id=path_id(monitor_id),
                                token=Token(reader, viewer.token_id), render=render)
