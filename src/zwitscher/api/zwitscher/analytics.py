"""Analytics (docs/analytics.md), `read:analytics`:
    GET /api/zwitscher/v1/analytics/accounts/{id}[.csv|.json]   an account's (own, or a brand's
                                                                 one writes for)
    GET /api/zwitscher/v1/analytics/groups/{id}[.csv|.json]     a group's (its managers, admins)
    GET /api/zwitscher/v1/analytics/instance[.csv|.json]        the organisation's (admins,
                                                                 moderators)
Query: `from`, `to` (dates, both included; default the last 30 days), `interval`
(hour|day|week|month), `format` (json|csv; or the suffix). Each answer holds the previous
period of the same length for comparison. Others' analytics are not found (404); a period
reversed, longer than three years, or hourly over more than 31 days is 422.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from zwitscher.api.deps import actor_of, path_id, scoped, uows
from zwitscher.api.operations import declare
from zwitscher.api.responses import JSON
from zwitscher.domain.analytics import INSTANCE_ID, Subject
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.services.export_analytics import report_as_csv, report_as_json
from zwitscher.services.oauth import Viewer
from zwitscher.services.show_analytics import parse_period, show_analytics

router = APIRouter(prefix="/api/zwitscher/v1/analytics")
READ = scoped("read:analytics")


def _split(raw: str, request: Request) -> tuple[str, str]:
    """The id and the format asked for (a `.csv` or `.json` suffix, or `format=`)."""
    for suffix in ("csv", "json"):
        if raw.endswith("." + suffix):
            return raw[:-len(suffix) - 1], suffix
    return raw, request.query_params.get("format", "json")


async def _answer(request: Request, viewer: Viewer, kind: Subject, subject_id: int,
                  form: str) -> Response:
    if form not in ("json", "csv"):
        raise ValidationFailed("Unknown format %(format)s: json or csv", format=form[:20])
    query = request.query_params
    period, interval = parse_period(query.get("from"), query.get("to"), query.get("interval"))
    async with uows(request).read() as uow:
        report = await show_analytics(uow, actor=await actor_of(uow, viewer), kind=kind,
                                      subject_id=subject_id, period=period, interval=interval)
    if form == "csv":
        name = f"analytics-{kind.value}-{subject_id}-{period.first}-{period.last}.csv"
        return Response(report_as_csv(report), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return JSON(report_as_json(report))


@router.get("/accounts/{account_id}")
@declare(returns=dict, errors=(403, 404, 422))
async def account_analytics(request: Request, account_id: str,
                            viewer: Viewer = Depends(READ)) -> Response:
    """An account's analytics: your own, or a brand account's you write for."""
    raw, form = _split(account_id, request)
    return await _answer(request, viewer, Subject.ACCOUNT, path_id(raw), form)


@router.get("/groups/{group_id}")
@declare(returns=dict, errors=(403, 404, 422))
async def group_analytics(request: Request, group_id: str,
                          viewer: Viewer = Depends(READ)) -> Response:
    """A group's analytics: posts addressed to it and their engagement (its managers)."""
    raw, form = _split(group_id, request)
    return await _answer(request, viewer, Subject.GROUP, path_id(raw), form)


@router.get("/{name}")
@declare(returns=dict, errors=(403, 404, 422))
async def instance_analytics(request: Request, name: str,
                             viewer: Viewer = Depends(READ)) -> Response:
    """The organisation's analytics (admins and moderators): `instance`, `instance.csv`."""
    raw, form = _split(name, request)
    if raw != "instance":
        raise NotFound()
    return await _answer(request, viewer, Subject.INSTANCE, INSTANCE_ID, form)
