"""Administration: roles, confirming addresses, the audit log, and quality scores."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from typing_extensions import TypedDict

from zwitscher.api.deps import Origin, actor_of, path_id, scoped, uows
from zwitscher.api.operations import declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Id, Params, parse
from zwitscher.api.presenters.audit import AuditEntry, present_audit_entry
from zwitscher.api.presenters.custom_emojis import account_emojis
from zwitscher.api.presenters.quality import Quality, present_quality
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import Forbidden, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.domain.roles import ADMINISTRATORS, parse_role
from zwitscher.services.change_role import change_role
from zwitscher.services.confirm_email import confirm_account
from zwitscher.services.oauth import Viewer
from zwitscher.services.review_account_quality import (
    account_quality,
    accounts_by_quality,
    rescore_account_quality,
)

router = APIRouter(prefix="/api/zwitscher/v1/admin")


class RoleChanged(TypedDict):
    id: str
    role: str


class Confirmed(TypedDict):
    id: str
    confirmed: bool


class RoleChange(Params):
    role: str = ""


class QualityFilters(Params):
    flagged: bool | None = None


class AuditFilters(Params):
    action: str | None = None
    actor_id: Id | None = None
    target_type: str | None = None
    target_id: Id | None = None


@router.put("/accounts/{account_id}/role")
@declare(returns=RoleChanged, takes=RoleChange)
async def set_role(request: Request, account_id: str,
                   viewer: Viewer = Depends(scoped("admin:write:accounts"))) -> JSON:
    form = await parse(request, RoleChange)
    async with uows(request).write() as uow:
        role = await change_role(uow, actor=await actor_of(uow, viewer),
                                 account_id=path_id(account_id), role=form.role)
    return JSON({"id": account_id, "role": role.value})


@router.post("/accounts/{account_id}/confirm")
@declare(returns=Confirmed)
async def confirm(request: Request, account_id: str,
                  viewer: Viewer = Depends(scoped("admin:write:accounts"))) -> JSON:
    async with uows(request).write() as uow:
        await confirm_account(uow, actor=await actor_of(uow, viewer),
                              account_id=path_id(account_id))
    return JSON({"id": account_id, "confirmed": True})


@router.get("/audit_log")
@declare(returns=list[AuditEntry], takes=AuditFilters, paged=True)
async def audit_log(request: Request,
                    viewer: Viewer = Depends(scoped("admin:read:audit_log"))) -> JSON:
    if parse_role(viewer.role) not in ADMINISTRATORS:
        raise Forbidden("Only admins may read the audit log")
    filters = await parse(request, AuditFilters)
    page = page_from(request, default=40, maximum=200)
    ids = {name: _optional_id(getattr(filters, name)) for name in ("actor_id", "target_id")}
    async with uows(request).read() as uow:
        rows = await uow.audit.page(page, action=filters.action,
                                    target_type=filters.target_type, **ids)
    response = JSON([present_audit_entry(row) for row in rows])
    link_header(request, response, [row.id for row in rows])
    return response


def _optional_id(raw: str | None) -> int | None:
    if raw in (None, ""):
        return None
    value = parse_id(raw)
    if value is None:
        raise ValidationFailed("Not a valid id")
    return value


@router.get("/quality")
@declare(returns=list[Quality], takes=QualityFilters, paged=True)
async def quality_list(request: Request, origin: Origin,
                       viewer: Viewer = Depends(scoped("admin:read:accounts"))) -> JSON:
    filters = await parse(request, QualityFilters)
    page = page_from(request, default=40, maximum=200)
    async with uows(request).read() as uow:
        rows = await accounts_by_quality(uow, actor=await actor_of(uow, viewer), page=page,
                                         flagged=filters.flagged)
        emojis = await account_emojis(uow, rows, origin)
    response = JSON([present_quality(row, row, origin, emojis=emojis) for row in rows])
    link_header(request, response, [row.id for row in rows])
    return response


@router.get("/accounts/{account_id}/quality")
@declare(returns=Quality)
async def quality_of_account(request: Request, account_id: str, origin: Origin,
                             viewer: Viewer = Depends(scoped("admin:read:accounts"))) -> JSON:
    async with uows(request).read() as uow:
        report = await account_quality(uow, actor=await actor_of(uow, viewer),
                                       account_id=path_id(account_id))
        emojis = await account_emojis(uow, [report.account], origin)
    return JSON(present_quality(report.account, report.quality, origin, emojis=emojis))


@router.post("/accounts/{account_id}/quality")
@declare(returns=Quality)
async def rescore_account(request: Request, account_id: str, origin: Origin,
                          viewer: Viewer = Depends(scoped("admin:write:accounts"))) -> JSON:
    """Compute the score now instead of waiting for the recurring job."""
    async with uows(request).write() as uow:
        report = await rescore_account_quality(uow, actor=await actor_of(uow, viewer),
                                               account_id=path_id(account_id))
        emojis = await account_emojis(uow, [report.account], origin)
    return JSON(present_quality(report.account, report.quality, origin, emojis=emojis))
