"""`POST /api/v1/emails/confirmations`: the app someone signed up with sends the link that
confirms their address again, to a corrected address if it gives one (Mastodon 3.4)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from zwitscher.api.deps import bearer_token, uows
from zwitscher.api.operations import Empty, declare
from zwitscher.api.params import Params, parse
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import DomainError, Forbidden, Unauthorized
from zwitscher.services.confirm_email import resend_confirmation
from zwitscher.services.oauth import authenticate_unconfirmed

router = APIRouter()


class Confirmation(Params):
    email: str | None = None


@router.post("/api/v1/emails/confirmations")
@declare(returns=Empty, takes=Confirmation, scopes=("write:accounts",))
async def send_confirmation_again(request: Request) -> JSON:
    token = bearer_token(request)
    if token is None:
        raise Unauthorized("The access token is invalid")
    # The one request a token of an unconfirmed person may make: no cached viewer here.
    viewer = await uows(request).read_at_once(
        lambda uow: authenticate_unconfirmed(uow, token))
    if viewer.user_id is None:
        raise DomainError("This method requires an authenticated user")
    if not viewer.may("write:accounts"):
        raise Forbidden("This action is outside the authorized scopes")
    form = await parse(request, Confirmation)
    async with uows(request).write() as uow:
        await resend_confirmation(uow, user_id=viewer.user_id, app_id=viewer.app_id,
                                  email=form.email[:320] if form.email else None)
    return JSON({})
