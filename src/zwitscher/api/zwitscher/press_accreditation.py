"""Press groups and journalists' accreditation under our API (docs/press.md).

    GET  /api/zwitscher/v1/press/groups                     the press groups (public names);
                                                           no token needed
    POST /api/zwitscher/v1/press/accreditations             a journalist asks to be
                                                           accredited; no token needed: 202,
                                                           and the address gets its link
    GET  /api/zwitscher/v1/press/accreditations             the press desk: confirmed
                                                           requests and decided ones
                                                           (read:press), `state` to filter
    POST /api/zwitscher/v1/press/accreditations/{id}/approve  into `group_ids` (write:press)
    POST /api/zwitscher/v1/press/accreditations/{id}/reject   with a `reason` (write:press)
    POST /api/zwitscher/v1/press/invitations                invite a journalist into a press
                                                           group (write:press)
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from typing_extensions import TypedDict

from zwitscher import i18n
from zwitscher.api.deps import actor_of, path_id, scoped, uows
from zwitscher.api.operations import declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Id, Params, parse, with_examples
from zwitscher.api.presenters.common import iso
from zwitscher.api.responses import JSON
from zwitscher.domain.ids import parse_id
from zwitscher.policies.press import public_name
from zwitscher.services.admit_journalist import (
    MAX_NAME,
    MAX_NOTE,
    MAX_OUTLET,
    MAX_POSITION,
    MAX_WORK_URL,
    Admitted,
    Journalist,
)
from zwitscher.services.decide_accreditation import approve_accreditation, reject_accreditation
from zwitscher.services.invite_journalist import JournalistInvitation, invite_journalist
from zwitscher.services.oauth import Viewer
from zwitscher.services.request_accreditation import (
    LIFETIME,
    AccreditationRequest,
    request_accreditation,
)
from zwitscher.services.review_accreditations import (
    Accreditation,
    accreditation,
    list_accreditations,
)

router = APIRouter(prefix="/api/zwitscher/v1/press")


class PressGroup(TypedDict):
    id: str
    name: str  # the public name
    description: str


class AccreditationGroup(PressGroup):
    requested: bool  # named in the journalist's request
    granted: bool  # the journalist was let into it


class JournalistAccount(TypedDict):
    id: str
    username: str
    role: str


class PressAccreditation(TypedDict):
    id: str
    source: str  # request or invitation
    state: str  # pending, approved or rejected
    name: str
    email: str
    outlet: str
    position: str
    work_url: str
    note: str
    language: str
    created_at: str
    confirmed_at: str | None
    decided_at: str | None
    decided_by: str | None  # the username of who decided
    decision_note: str  # the reason of a rejection
    groups: list[AccreditationGroup]
    # Approved: the journalist's account; waiting: the account that has the address already.
    account: JournalistAccount | None


class AccreditationSent(TypedDict):
    email: str
    confirm_within_days: int


class Admission(TypedDict):
    accreditation_id: str
    account_id: str
    username: str
    new_account: bool


class AccreditationForm(Params):
    model_config = with_examples({
        "name": "Nora Journalist", "email": "nora@example.org", "outlet": "Tagesblatt",
        "position": "Editor", "work_url": "https://example.org/nora", "group_ids": ["1"],
        "note": "I cover the region."})

    name: str = ""
    email: str = ""
    outlet: str = ""
    position: str = ""
    work_url: str = ""
    note: str = ""
    group_ids: list[Id] = []
    locale: str | None = None


class AccreditationQuery(Params):
    state: str | None = None  # pending, approved, rejected or decided (either)


class Approval(Params):
    group_ids: list[Id] = []


class Rejection(Params):
    reason: str = ""


class JournalistInvitationForm(Params):
    model_config = with_examples({"name": "Nora Journalist", "email": "nora@example.org",
                                  "outlet": "Tagesblatt", "group_id": "1"})

    name: str = ""
    email: str = ""
    outlet: str = ""
    position: str = ""
    group_id: Id | None = None


def _ids(raw: list[str | int]) -> list[int]:
    # What is not an id names no press group: the service says so, after it checked who asks.
    return [parse_id(value) or 0 for value in raw[:100]]


def _journalist(form: AccreditationForm | JournalistInvitationForm, *,
                work_url: str = "") -> Journalist:
    # One over each limit: the service refuses what is too long, rather than cutting it.
    return Journalist(name=form.name[:MAX_NAME + 1], email=form.email[:321],
                      outlet=form.outlet[:MAX_OUTLET + 1],
                      position=form.position[:MAX_POSITION + 1],
                      work_url=work_url[:MAX_WORK_URL + 1])


def present_press_group(group) -> PressGroup:
    return {"id": str(group.id), "name": public_name(group),
            "description": group.press_description}


def _present(found: Accreditation) -> PressAccreditation:
    row, account = found.row, found.account
    return {
        "id": str(row.id), "source": row.source, "state": row.state, "name": row.name,
        "email": row.email, "outlet": row.outlet, "position": row.position,
        "work_url": row.work_url, "note": row.note, "language": row.language,
        "created_at": iso(row.created_at), "confirmed_at": iso(row.confirmed_at),
        "decided_at": iso(row.decided_at),
        "decided_by": found.decided_by.username if found.decided_by else None,
        "decision_note": row.decision_note,
        "groups": [{**present_press_group(g), "requested": g.requested, "granted": g.granted}
                   for g in found.groups],
        "account": {"id": str(account.id), "username": account.username,
                    "role": found.account_role or ""} if account else None}


def _admission(admitted: Admitted) -> Admission:
    return {"accreditation_id": str(admitted.accreditation_id),
            "account_id": str(admitted.account_id), "username": admitted.username,
            "new_account": admitted.new_account}


@router.get("/groups")
@declare(returns=list[PressGroup])
async def press_groups(request: Request) -> JSON:
    """The press groups a journalist may ask to join, by the names the public reads."""
    async with uows(request).read() as uow:
        groups = await uow.groups.press_groups()
    return JSON([present_press_group(group) for group in groups])


@router.post("/accreditations")
@declare(returns=AccreditationSent, takes=AccreditationForm, status=202, errors=(429,))
async def ask_for_accreditation(request: Request) -> JSON:
    """Ask to be accredited; the request reaches the press desk once the address followed
    the link e-mailed to it."""
    form = await parse(request, AccreditationForm)
    language = i18n.supported(form.locale) or i18n.from_accept_language(
        request.headers.get("accept-language", "")) or i18n.DEFAULT_LANGUAGE
    async with uows(request).write() as uow:
        await request_accreditation(uow, request=AccreditationRequest(
            journalist=_journalist(form, work_url=form.work_url),
            group_ids=_ids(form.group_ids),
            note=form.note[:MAX_NOTE + 1], language=language),
            network_address=request.client.host if request.client else "unknown")
    return JSON({"email": form.email.strip(), "confirm_within_days": LIFETIME.days},
                status_code=202)


@router.get("/accreditations")
@declare(returns=list[PressAccreditation], takes=AccreditationQuery, paged=True)
async def accreditations(request: Request,
                         viewer: Viewer = Depends(scoped("read:press"))) -> JSON:
    """Confirmed requests and decided accreditations, newest first."""
    query = await parse(request, AccreditationQuery)
    page = page_from(request, default=40, maximum=200)
    async with uows(request).read() as uow:
        found = await list_accreditations(uow, actor=await actor_of(uow, viewer), page=page,
                                          state=query.state)
    response = JSON([_present(item) for item in found])
    link_header(request, response, [item.row.id for item in found])
    return response


@router.post("/accreditations/{accreditation_id}/approve")
@declare(returns=Admission, takes=Approval)
async def approve(request: Request, accreditation_id: str,
                  viewer: Viewer = Depends(scoped("write:press"))) -> JSON:
    form = await parse(request, Approval)
    async with uows(request).write() as uow:
        admitted = await approve_accreditation(
            uow, actor=await actor_of(uow, viewer), accreditation_id=path_id(accreditation_id),
            group_ids=_ids(form.group_ids))
    return JSON(_admission(admitted))


@router.post("/accreditations/{accreditation_id}/reject")
@declare(returns=PressAccreditation, takes=Rejection)
async def reject(request: Request, accreditation_id: str,
                 viewer: Viewer = Depends(scoped("write:press"))) -> JSON:
    form = await parse(request, Rejection)
    async with uows(request).write() as uow:
        actor = await actor_of(uow, viewer)
        await reject_accreditation(uow, actor=actor, accreditation_id=path_id(accreditation_id),
                                   reason=form.reason[:MAX_NOTE + 1])
        return JSON(_present(await accreditation(uow, actor=actor,
                                                 accreditation_id=path_id(accreditation_id))))


@router.post("/invitations")
@declare(returns=Admission, takes=JournalistInvitationForm, errors=(404, 429))
async def invite(request: Request, viewer: Viewer = Depends(scoped("write:press"))) -> JSON:
    """Invite a journalist into a press group as a guest (an address with an account is added
    to the group instead)."""
    form = await parse(request, JournalistInvitationForm)
    # No group, or what is not an id, is found nowhere (after the service checked who asks).
    group_id = parse_id(form.group_id) if form.group_id is not None else None
    async with uows(request).write() as uow:
        admitted = await invite_journalist(uow, actor=await actor_of(uow, viewer),
                                           invitation=JournalistInvitation(
                                               _journalist(form), group_id or 0))
    return JSON(_admission(admitted))
