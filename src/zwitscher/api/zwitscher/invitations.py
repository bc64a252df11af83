"""`POST /api/zwitscher/v1/invitations`: an admin or a group manager invites someone by
e-mail address (docs/identity.md)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from zwitscher.api.deps import actor_of, scoped, uows
from zwitscher.api.params import Params, parse
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import NotFound
from zwitscher.domain.ids import parse_id
from zwitscher.services.invite_person import Invitation, invite_person
from zwitscher.services.oauth import Viewer

router = APIRouter(prefix="/api/zwitscher/v1")


class InvitationForm(Params):
    email: str = ""
    display_name: str = ""
    group_id: str | None = None


@router.post("/invitations")
async def invite(request: Request, viewer: Viewer = Depends(scoped("write:accounts"))) -> JSON:
    form = await parse(request, InvitationForm)
    group_id = parse_id(form.group_id) if form.group_id else None
    if form.group_id and group_id is None:
        raise NotFound()
    async with uows(request).write() as uow:
        invited = await invite_person(uow, actor=await actor_of(uow, viewer), invitation=Invitation(
            email=form.email[:320], display_name=form.display_name[:200], group_id=group_id))
    return JSON({"id": str(invited.account_id), "username": invited.username})
