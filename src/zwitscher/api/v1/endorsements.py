"""Endorsements: accounts recommended on a profile (pin and unpin an account you follow)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from zwitscher.api.deps import OptionalViewer, Origin, path_id, scoped, uows
from zwitscher.api.entities import Account
from zwitscher.api.operations import declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.presenters.accounts import (
    Relationship,
    present_account_rows,
    present_relationships,
)
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import NotFound
from zwitscher.services.endorse_account import endorse_account, unendorse_account
from zwitscher.services.oauth import Viewer

router = APIRouter()


@router.post("/api/v1/accounts/{account_id}/pin")
@declare(returns=Relationship)
async def pin(request: Request, account_id: str,
              viewer: Viewer = Depends(scoped("write:accounts"))) -> JSON:
    target_id = path_id(account_id)
    async with uows(request).write() as uow:
        await endorse_account(uow, account_id=viewer.account_id, target_id=target_id)
        return JSON((await present_relationships(uow, viewer.account_id, [target_id]))[0])


@router.post("/api/v1/accounts/{account_id}/unpin")
@declare(returns=Relationship)
async def unpin(request: Request, account_id: str,
                viewer: Viewer = Depends(scoped("write:accounts"))) -> JSON:
    target_id = path_id(account_id)
    async with uows(request).write() as uow:
        await unendorse_account(uow, account_id=viewer.account_id, target_id=target_id)
        return JSON((await present_relationships(uow, viewer.account_id, [target_id]))[0])


async def _endorsed_by(request: Request, account_id: int, origin: str) -> JSON:
    page = page_from(request, default=40, maximum=80)
    async with uows(request).read() as uow:
        pairs = await uow.endorsements.endorsed_by(account_id, page)
        response = JSON(await present_account_rows(uow, [row for _, row in pairs], origin))
    link_header(request, response, [page_id for page_id, _ in pairs])
    return response


@router.get("/api/v1/endorsements")
@declare(returns=list[Account], paged=True)
async def endorsements(request: Request, origin: Origin,
                       viewer: Viewer = Depends(scoped("read:accounts"))) -> JSON:
    return await _endorsed_by(request, viewer.account_id, origin)


@router.get("/api/v1/accounts/{account_id}/endorsements")
@declare(returns=list[Account], paged=True)
async def account_endorsements(request: Request, account_id: str, origin: Origin,
                               viewer: OptionalViewer) -> JSON:
    async with uows(request).read() as uow:
        account = await uow.accounts.get(path_id(account_id))
    if account is None:
        raise NotFound()
    return await _endorsed_by(request, account.id, origin)
