"""`POST /api/zwitscher/v1/invitations`: an admin or a group manager invites someone by
e-mail address (docs/identity.md)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from typing_extensions import TypedDict

from zwitscher.api.deps import actor_of, scoped, uows
from zwitscher.api.operations import declare
from zwitscher.api.params import Id, Params, parse
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import NotFound
from zwitscher.domain.ids import parse_id
from zwitscher.services.invite_person import Invitation, invite_person
from zwitscher.services.oauth import Viewer

router = APIRouter(prefix="/api/zwitscher/v1")


class Invited(TypedDict):
    id: str
    username: str


class InvitationForm(Params):
    email: str = ""
    display_name: str = ""
    group_id: Id | None = None


@router.post("/invitations")
@declare(returns=Invited, takes=InvitationForm, errors=(404,))
async def invite(request: Request, viewer: Viewer = Depends(scoped("write:accounts"))) -> JSON:
    form = await parse(request, InvitationForm)
    group_id = parse_id(form.group_id) if form.group_id else None
    if form.group_id and group_id is None:
        raise NotFound()
    async with uows(request).write() as uow:
        invited = await invite_person(uow, actor=await actor_of(uow, viewer), invitation=Invitation(
            email=form.email[:320], display_name=form.display_name[:200], group_id=group_id))
    return JSON({"id": str(invited.account_id), "username": invited.username})
