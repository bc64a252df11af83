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


def _split(segment: str, request: Request) -> tuple[str, str]:
    """The id and the format asked for (a `.csv` or `.json` suffix, or `format=`)."""
    for suffix in ("csv", "json"):
        if segment.endswith("." + suffix):
            return segment[:-len(suffix) - 1], suffix
    return segment, request.query_params.get("format", "json")


def _subject_id(kind: Subject, raw: str) -> int:
    """The subject's id in the path: a number, or the instance's own name."""
    if kind is not Subject.INSTANCE:
        return path_id(raw)
    if raw != "instance":
        raise NotFound()
    return INSTANCE_ID


async def _answer(request: Request, viewer: Viewer, kind: Subject, segment: str) -> Response:
    """The report of the subject a route's last path segment names (`42`, `42.csv`,
    `instance.json`), as JSON or as a CSV download."""
    raw, form = _split(segment, request)
    subject_id = _subject_id(kind, raw)
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
    return await _answer(request, viewer, Subject.ACCOUNT, account_id)


@router.get("/groups/{group_id}")
@declare(returns=dict, errors=(403, 404, 422))
async def group_analytics(request: Request, group_id: str,
                          viewer: Viewer = Depends(READ)) -> Response:
    """A group's analytics: posts addressed to it and their engagement (its managers)."""
    return await _answer(request, viewer, Subject.GROUP, group_id)


@router.get("/{name}")
@declare(returns=dict, errors=(403, 404, 422))
async def instance_analytics(request: Request, name: str,
                             viewer: Viewer = Depends(READ)) -> Response:
    """The organisation's analytics (admins and moderators): `instance`, `instance.csv`."""
    return await _answer(request, viewer, Subject.INSTANCE, name)
