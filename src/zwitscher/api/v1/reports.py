"""Reports: filing one (any person), and the admin API moderators handle them with."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Depends, Request

from zwitscher.api.deps import Origin, actor_of, path_id, scoped, uows
from zwitscher.api.operations import declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Id, Params, parse
from zwitscher.api.presenters.custom_emojis import account_emojis
from zwitscher.api.presenters.reports import (
    AdminReport,
    Report,
    present_admin_reports,
    present_report,
)
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.services import handle_report
from zwitscher.services.file_report import file_report
from zwitscher.services.oauth import Viewer

router = APIRouter()


class ReportForm(Params):
    account_id: Id = ""
    status_ids: list[Id] = []
    comment: str = ""
    category: str | None = None
    rule_ids: list[str] = []
    forward: bool = False  # every account is local: nothing to forward to


class ReportChange(Params):
    category: str | None = None
    rule_ids: list[str] = []


class ReportFilters(Params):
    resolved: bool = False
    account_id: Id | None = None
    target_account_id: Id | None = None


def _id_or_422(raw: str | None, name: str) -> int | None:
    if raw in (None, ""):
        return None
    value = parse_id(raw)
    if value is None:
        raise ValidationFailed(f"{name} is not a valid id")
    return value


@router.post("/api/v1/reports")
@router.post("/api/v1/reports/", include_in_schema=False)  # where Mastodon.py sends it
@declare(returns=Report, takes=ReportForm, errors=(404,))
async def create_report(request: Request, origin: Origin,
                        viewer: Viewer = Depends(scoped("write:reports"))) -> JSON:
    form = await parse(request, ReportForm)
    target_id = _id_or_422(form.account_id, "account_id")
    if target_id is None:
        raise ValidationFailed("account_id is required")
    status_ids = [_id_or_422(raw, "status_ids") for raw in form.status_ids]
    async with uows(request).write() as uow:
        report_id = await file_report(uow, reporter_id=viewer.account_id, target_id=target_id,
                                      status_ids=status_ids, comment=form.comment,
                                      category=form.category, rule_ids=form.rule_ids)
        report = await uow.reports.get(report_id)
        target = await uow.accounts.get(target_id)
        emojis = await account_emojis(uow, [target], origin)
    return JSON(present_report(report, target, origin, emojis=emojis))


@router.get("/api/v1/admin/reports")
@declare(returns=list[AdminReport], takes=ReportFilters, paged=True)
async def admin_reports(request: Request, origin: Origin,
                        viewer: Viewer = Depends(scoped("admin:read:reports"))) -> JSON:
    filters = await parse(request, ReportFilters)
    page = page_from(request, default=100, maximum=200)
    async with uows(request).read() as uow:
        rows = await handle_report.list_reports(
            uow, actor=await actor_of(uow, viewer), page=page, resolved=filters.resolved,
            account_id=_id_or_422(filters.account_id, "account_id"),
            target_account_id=_id_or_422(filters.target_account_id, "target_account_id"))
        response = JSON(await present_admin_reports(uow, rows, viewer_id=viewer.account_id,
                                                    origin=origin))
    link_header(request, response, [row.id for row in rows])
    return response


@router.get("/api/v1/admin/reports/{report_id}")
@declare(returns=AdminReport)
async def admin_report(request: Request, report_id: str, origin: Origin,
                       viewer: Viewer = Depends(scoped("admin:read:reports"))) -> JSON:
    async with uows(request).read() as uow:
        report = await handle_report.get_report(uow, actor=await actor_of(uow, viewer),
                                                report_id=path_id(report_id))
        return JSON((await present_admin_reports(uow, [report], viewer_id=viewer.account_id,
                                                 origin=origin))[0])


@router.put("/api/v1/admin/reports/{report_id}")
@declare(returns=AdminReport, takes=ReportChange)
async def update_report(request: Request, report_id: str, origin: Origin,
                        viewer: Viewer = Depends(scoped("admin:write:reports"))) -> JSON:
    change = await parse(request, ReportChange)
    recategorise = partial(handle_report.recategorise_report, category=change.category,
                           rule_ids=change.rule_ids)
    return await _act(request, report_id, origin, viewer, recategorise)


async def _act(request: Request, report_id: str, origin: str, viewer: Viewer,
               change) -> JSON:
    target = path_id(report_id)
    async with uows(request).write() as uow:
        report = await change(uow, actor=await actor_of(uow, viewer), report_id=target)
        return JSON((await present_admin_reports(uow, [report], viewer_id=viewer.account_id,
                                                 origin=origin))[0])


@router.post("/api/v1/admin/reports/{report_id}/assign_to_self")
@declare(returns=AdminReport)
async def assign(request: Request, report_id: str, origin: Origin,
                 viewer: Viewer = Depends(scoped("admin:write:reports"))) -> JSON:
    return await _act(request, report_id, origin, viewer, handle_report.assign_report)


@router.post("/api/v1/admin/reports/{report_id}/unassign")
@declare(returns=AdminReport)
async def unassign(request: Request, report_id: str, origin: Origin,
                   viewer: Viewer = Depends(scoped("admin:write:reports"))) -> JSON:
    return await _act(request, report_id, origin, viewer, handle_report.unassign_report)


@router.post("/api/v1/admin/reports/{report_id}/resolve")
@declare(returns=AdminReport)
async def resolve(request: Request, report_id: str, origin: Origin,
                  viewer: Viewer = Depends(scoped("admin:write:reports"))) -> JSON:
    return await _act(request, report_id, origin, viewer, handle_report.resolve_report)


@router.post("/api/v1/admin/reports/{report_id}/reopen")
@declare(returns=AdminReport)
async def reopen(request: Request, report_id: str, origin: Origin,
                 viewer: Viewer = Depends(scoped("admin:write:reports"))) -> JSON:
    return await _act(request, report_id, origin, viewer, handle_report.reopen_report)
