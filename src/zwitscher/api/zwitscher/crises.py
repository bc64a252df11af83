"""Crisis broadcasts (docs/crisis.md): sending, the dashboard, and recipients' answers.

For the crisis desk (communicators, admins; `write:crisis` to act, `read:crisis` to read):
    GET  /api/zwitscher/v1/crises                    recent crises, newest first
    POST /api/zwitscher/v1/crises                    send one, from a template or in full
    GET  /api/zwitscher/v1/crises/{id}               its dashboard: per group and contact list
                                                     reached / opened / acknowledged / not
                                                     reached, deliveries per channel, who needs
                                                     help, who was not reached
    POST /api/zwitscher/v1/crises/{id}/resend        again to everyone not reached
    POST /api/zwitscher/v1/crises/{id}/updates       an update (public ones: the dark site)
    POST /api/zwitscher/v1/crises/{id}/dark_site     switch the dark site on or off
    POST /api/zwitscher/v1/crises/{id}/close         close it
For recipients:
    GET  /api/zwitscher/v1/crises/open               the open crises the caller is in
    POST /api/zwitscher/v1/crises/{id}/open          the caller read it
    POST /api/zwitscher/v1/crises/{id}/acknowledge   answer=received|safe|help
For anyone, without a token:
    GET  /api/zwitscher/v1/crisis/status             the dark site's crisis and public updates
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from typing_extensions import TypedDict

from zwitscher.api.deps import actor_of, path_id, scoped, uows
from zwitscher.api.operations import Empty, declare
from zwitscher.api.params import Id, Params, parse, with_examples
from zwitscher.api.presenters.common import iso
from zwitscher.api.responses import JSON
from zwitscher.api.zwitscher.crisis_setup import PlanFields, plan_of
from zwitscher.domain.crisis_texts import RECEIVED
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.services.acknowledge_crisis import acknowledge_crisis, open_crisis, recipient_in
from zwitscher.services.close_crisis import close_crisis
from zwitscher.services.oauth import Viewer
from zwitscher.services.post_crisis_update import post_crisis_update
from zwitscher.services.resend_crisis import resend_crisis
from zwitscher.services.save_crisis_template import CrisisPlan
from zwitscher.services.send_crisis import send_crisis
from zwitscher.services.show_crisis import (
    AudiencePart,
    crisis_dashboard,
    crisis_updates,
    dark_site,
    open_crises_of,
    recent_crises,
)
from zwitscher.services.switch_dark_site import switch_dark_site

router = APIRouter(prefix="/api/zwitscher/v1")


class CrisisSummary(TypedDict):
    id: str
    title: str
    text: str
    status_id: str | None
    account_id: str
    created_at: str
    closed_at: str | None
    public: bool
    dark_site: bool
    channels: list[str]
    escalation: list[str]
    escalate_after_seconds: int


class Tally(TypedDict):
    kind: str
    id: str | None
    name: str
    recipients: int
    reached: int
    opened: int
    acknowledged: int
    received: int
    safe: int
    help: int
    not_reached: int


class Recipient(TypedDict):
    id: str
    name: str
    account_id: str | None
    email: str | None
    phone: str | None
    group_id: str | None
    contact_list_id: str | None
    reached_at: str | None
    opened_at: str | None
    acknowledged_at: str | None
    answer: str | None


class Dashboard(CrisisSummary):
    audience: list[Tally]
    total: Tally
    deliveries: dict[str, dict[str, int]]
    needing_help: list[Recipient]
    not_reached: list[Recipient]


class Notice(TypedDict):
    id: str
    title: str
    text: str
    status_ids: list[str]
    created_at: str
    closed_at: str | None
    answer: str | None
    acknowledged_at: str | None


class DarkSite(TypedDict):
    crisis: Notice | None
    status_ids: list[str]


class SendFields(PlanFields):
    model_config = with_examples(
        {"template_id": "110000000000000001", "values": {"place": "Hall 3", "what": "Fire"}},
        {"title": "Fire at {place}", "text": "Leave {place} now. {link}",
         "group_ids": ["110000000000000002"], "channels": ["stream", "push", "email"],
         "values": {"place": "Hall 3"}})

    template_id: Id | None = None
    values: dict[str, str] = {}


class UpdateFields(Params):
    model_config = with_examples({"text": "The fire is out.", "public": True})

    text: str = ""
    public: bool = False


class DarkSiteFields(Params):
    on: bool = True


class AnswerFields(Params):
    model_config = with_examples({"answer": "safe"})

    answer: str = RECEIVED


def _summary(crisis) -> CrisisSummary:
    return {"id": str(crisis.id), "title": crisis.title, "text": crisis.text,
            "status_id": str(crisis.status_id) if crisis.status_id else None,
            "account_id": str(crisis.account_id), "created_at": iso(crisis.created_at),
            "closed_at": iso(crisis.closed_at), "public": crisis.public,
            "dark_site": crisis.dark_site, "channels": list(crisis.channels),
            "escalation": list(crisis.escalation),
            "escalate_after_seconds": crisis.escalate_after_seconds}


def _tally(part: AudiencePart) -> Tally:
    return {"kind": part.kind, "id": str(part.id) if part.id else None, "name": part.name,
            "recipients": part.recipients, "reached": part.reached, "opened": part.opened,
            "acknowledged": part.acknowledged, "received": part.received, "safe": part.safe,
            "help": part.help, "not_reached": part.not_reached}


def _recipient(row) -> Recipient:
    def ref(value):
        return str(value) if value is not None else None
    return {"id": str(row.id), "name": row.name, "account_id": ref(row.account_id),
            "email": row.email, "phone": row.phone, "group_id": ref(row.group_id),
            "contact_list_id": ref(row.contact_list_id), "reached_at": iso(row.reached_at),
            "opened_at": iso(row.opened_at), "acknowledged_at": iso(row.acknowledged_at),
            "answer": row.answer}


def _notice(crisis, status_ids: list[int], recipient=None) -> Notice:
    return {"id": str(crisis.id), "title": crisis.title, "text": crisis.text,
            "status_ids": [str(i) for i in status_ids], "created_at": iso(crisis.created_at),
            "closed_at": iso(crisis.closed_at),
            "answer": recipient.answer if recipient else None,
            "acknowledged_at": iso(recipient.acknowledged_at) if recipient else None}


@router.get("/crises")
@declare(returns=list[CrisisSummary], errors=(403,))
async def list_crises(request: Request,
                      viewer: Viewer = Depends(scoped("read:crisis"))) -> JSON:
    """Recent crises, newest first (the crisis desk)."""
    async with uows(request).read() as uow:
        actor = await actor_of(uow, viewer)
        return JSON([_summary(row) for row in await recent_crises(uow, actor=actor)])


@router.post("/crises")
@declare(returns=Dashboard, takes=SendFields, errors=(403, 404, 422))
async def send(request: Request, viewer: Viewer = Depends(scoped("write:crisis"))) -> JSON:
    """Send a crisis broadcast: from a template (`template_id`, with `values` for its
    placeholders) or in full (title, text, audience, channels)."""
    form = await parse(request, SendFields)
    template_id = None if form.template_id is None else parse_id(form.template_id)
    if form.template_id is not None and template_id is None:
        raise NotFound("No such template")
    async with uows(request).write() as uow:
        actor = await actor_of(uow, viewer)
        plan = await _plan(uow, template_id, form)
        crisis = await send_crisis(uow, actor=actor, plan=plan, values=form.values,
                                   template_id=template_id)
        return JSON(await _dashboard(uow, actor, crisis.id))


@router.get("/crises/open")
@declare(returns=list[Notice])
async def open_crises(request: Request,
                      viewer: Viewer = Depends(scoped("read:crisis"))) -> JSON:
    """The open crises you are in the audience of, with your answer."""
    async with uows(request).read() as uow:
        notices = []
        for row in await open_crises_of(uow, account_id=viewer.account_id):
            crisis = await uow.crises.get(row.id)
            recipient = await uow.crises.recipient_of(row.id, viewer.account_id)
            notices.append(_notice(crisis, await crisis_updates(uow, crisis_id=row.id,
                                                                viewer_id=viewer.account_id),
                                   recipient))
        return JSON(notices)


@router.get("/crises/{crisis_id}")
@declare(returns=Dashboard, errors=(403, 404))
async def show(request: Request, crisis_id: str,
               viewer: Viewer = Depends(scoped("read:crisis"))) -> JSON:
    """A crisis's dashboard (the crisis desk)."""
    async with uows(request).read() as uow:
        return JSON(await _dashboard(uow, await actor_of(uow, viewer), path_id(crisis_id)))


@router.post("/crises/{crisis_id}/resend")
@declare(returns=Dashboard, errors=(403, 404, 422))
async def resend(request: Request, crisis_id: str,
                 viewer: Viewer = Depends(scoped("write:crisis"))) -> JSON:
    """Send it again, on all its channels, to everyone it has not reached."""
    async with uows(request).write() as uow:
        actor = await actor_of(uow, viewer)
        await resend_crisis(uow, actor=actor, crisis_id=path_id(crisis_id))
        return JSON(await _dashboard(uow, actor, path_id(crisis_id)))


@router.post("/crises/{crisis_id}/updates")
@declare(returns=Dashboard, takes=UpdateFields, errors=(403, 404, 422))
async def post_update(request: Request, crisis_id: str,
                      viewer: Viewer = Depends(scoped("write:crisis"))) -> JSON:
    """Post an update into the crisis; a public one shows on the dark site."""
    form = await parse(request, UpdateFields)
    async with uows(request).write() as uow:
        actor = await actor_of(uow, viewer)
        await post_crisis_update(uow, actor=actor, crisis_id=path_id(crisis_id),
                                 text=form.text, public=form.public)
        return JSON(await _dashboard(uow, actor, path_id(crisis_id)))


@router.post("/crises/{crisis_id}/dark_site")
@declare(returns=Dashboard, takes=DarkSiteFields, errors=(403, 404, 422))
async def dark_site_switch(request: Request, crisis_id: str,
                           viewer: Viewer = Depends(scoped("write:crisis"))) -> JSON:
    """Show this crisis on the dark site in place of the public start page (`on=false`: no
    longer)."""
    form = await parse(request, DarkSiteFields)
    async with uows(request).write() as uow:
        actor = await actor_of(uow, viewer)
        await switch_dark_site(uow, actor=actor, crisis_id=path_id(crisis_id), on=form.on)
        return JSON(await _dashboard(uow, actor, path_id(crisis_id)))


@router.post("/crises/{crisis_id}/close")
@declare(returns=Dashboard, errors=(403, 404))
async def close(request: Request, crisis_id: str,
                viewer: Viewer = Depends(scoped("write:crisis"))) -> JSON:
    async with uows(request).write() as uow:
        actor = await actor_of(uow, viewer)
        await close_crisis(uow, actor=actor, crisis_id=path_id(crisis_id))
        return JSON(await _dashboard(uow, actor, path_id(crisis_id)))


@router.post("/crises/{crisis_id}/open")
@declare(returns=Empty, errors=(404,))
async def mark_open(request: Request, crisis_id: str,
                    viewer: Viewer = Depends(scoped("write:crisis"))) -> JSON:
    """You read the crisis (escalation to further channels stops for you)."""
    async with uows(request).write() as uow:
        recipient = await recipient_in(uow, crisis_id=path_id(crisis_id),
                                       account_id=viewer.account_id)
        await open_crisis(uow, recipient=recipient)
    return JSON({})


@router.post("/crises/{crisis_id}/acknowledge")
@declare(returns=Notice, takes=AnswerFields, errors=(404, 422))
async def acknowledge(request: Request, crisis_id: str,
                      viewer: Viewer = Depends(scoped("write:crisis"))) -> JSON:
    """Answer the crisis: `received`, `safe` or `help`. The newest answer counts."""
    form = await parse(request, AnswerFields)
    async with uows(request).write() as uow:
        recipient = await recipient_in(uow, crisis_id=path_id(crisis_id),
                                       account_id=viewer.account_id)
        await acknowledge_crisis(uow, recipient=recipient, answer=form.answer)
        crisis = await uow.crises.get(recipient.crisis_id)
        return JSON(_notice(crisis, await crisis_updates(uow, crisis_id=crisis.id,
                                                          viewer_id=viewer.account_id),
                            await uow.crises.recipient(recipient.id)))


@router.get("/crisis/status")
@declare(returns=DarkSite)
async def status_page(request: Request) -> JSON:
    """The dark site: the crisis it shows (or null) and its public posts, newest first."""
    async with uows(request).read() as uow:
        site = await dark_site(uow)
        if site is None:
            return JSON({"crisis": None, "status_ids": []})
        return JSON({"crisis": _notice(site.crisis, site.status_ids),
                     "status_ids": [str(i) for i in site.status_ids]})


async def _plan(uow, template_id: int | None, form: SendFields) -> CrisisPlan:
    if template_id is None:
        return plan_of(form)
    template = await uow.crisis_templates.get(template_id)
    if template is None:
        raise NotFound("No such template")
    if form.title or form.text:
        raise ValidationFailed("Send a template with values for its placeholders, or a title "
                               "and text without a template")
    return CrisisPlan(
        title=template.title, text=template.text, group_ids=tuple(template.group_ids),
        contact_list_ids=tuple(template.contact_list_ids), channels=tuple(template.channels),
        escalation=tuple(template.escalation),
        escalate_after_seconds=template.escalate_after_seconds, public=template.public,
        account_id=template.account_id)


async def _dashboard(uow, actor, crisis_id: int) -> Dashboard:
    board = await crisis_dashboard(uow, actor=actor, crisis_id=crisis_id)
    return {**_summary(board.crisis), "audience": [_tally(part) for part in board.parts],
            "total": _tally(board.total), "deliveries": board.deliveries,
            "needing_help": [_recipient(row) for row in board.needing_help],
            "not_reached": [_recipient(row) for row in board.not_reached]}
