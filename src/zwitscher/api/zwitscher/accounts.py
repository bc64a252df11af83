"""A person's own account policies under our API."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Request
from typing_extensions import TypedDict

from zwitscher.api.deps import scoped, uows
from zwitscher.api.operations import declare
from zwitscher.api.params import Params, parse
from zwitscher.api.responses import JSON
from zwitscher.services.change_account_policy import change_account_policy
from zwitscher.services.oauth import Viewer

router = APIRouter(prefix="/api/zwitscher/v1/accounts/me")


class PolicyChange(Params):
    follow_back: bool | None = None


class AccountPolicy(TypedDict):
    follow_back: bool


def _present(account: sa.Row) -> AccountPolicy:
    return {"follow_back": account.follow_back}


@router.get("/policy")
@declare(returns=AccountPolicy)
async def show_policy(request: Request,
                      viewer: Viewer = Depends(scoped("read:accounts"))) -> JSON:
    async with uows(request).read() as uow:
        account = await uow.accounts.get(viewer.account_id)
    return JSON(_present(account))


@router.patch("/policy")
@declare(returns=AccountPolicy, takes=PolicyChange)
async def change_policy(request: Request,
                        viewer: Viewer = Depends(scoped("write:accounts"))) -> JSON:
    form = await parse(request, PolicyChange)
    async with uows(request).write() as uow:
        account = await change_account_policy(uow, account_id=viewer.account_id,
                                              follow_back=form.follow_back)
    return JSON(_present(account))
