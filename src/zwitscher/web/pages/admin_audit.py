"""The administration console › Audit log: who changed what and when, newest first, filtered
by who (a username or a system such as "directory (SCIM)"), what and which days (in the
reader's time zone), paged;
and the same entries as a CSV file whose cells no spreadsheet runs as a formula.
"""

from __future__ import annotations

import csv
import io
import json
import zoneinfo
from datetime import date

import sqlalchemy as sa
from fastapi import APIRouter
from starlette.datastructures import QueryParams
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.db.pagination import Page
from zwitscher.domain.errors import DomainError, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.policies.console import Section
from zwitscher.services.read_audit_log import KNOWN_ACTIONS, AuditFilter, read_audit_log
from zwitscher.web.console import CONSOLE_PATH, open_console
from zwitscher.web.guards import SignedIn
from zwitscher.web.local_times import person_zone

router = APIRouter()
AUDIT_PATH = f"{CONSOLE_PATH}/{Section.AUDIT}"
PAGE_SIZE = 50
# The export reads the log in batches of this many, and stops after EXPORT_LIMIT entries.
EXPORT_BATCH = 1000
EXPORT_LIMIT = 100_000
FILTER_NAMES = ("actor", "action", "since", "until")
CSV_COLUMNS = ("id", "created_at", "actor", "signed_in_with", "action", "target_type",
               "target_id", "details")


def _day(raw: str, problem: str) -> date | None:
    if not raw.strip():
        return None
    try:
        day = date.fromisoformat(raw.strip()[:10])
    except ValueError:
        raise ValidationFailed(problem) from None
    if not 2000 <= day.year <= 9000:
        raise ValidationFailed(problem)
    return day


def _filters(params: QueryParams, zone: str) -> AuditFilter:
    return AuditFilter(actor=params.get("actor", "").strip(), zone=zoneinfo.ZoneInfo(zone),
                       action=params.get("action", "").strip()[:64],
                       since=_day(params.get("since", ""), "The first day is not a date"),
                       until=_day(params.get("until", ""), "The last day is not a date"))


def details_text(details: dict | None) -> str:
    return json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str)


@router.get(AUDIT_PATH, include_in_schema=False)
async def audit_page(browser: SignedIn) -> Response:
    params = browser.request.query_params
    shown = {name: params.get(name, "")[:200] for name in FILTER_NAMES}
    max_id = parse_id(params.get("max_id", ""))
    entries, error, status_code = [], None, 200
    zone = person_zone(browser)
    async with uows(browser.request).read() as uow:
        console = await open_console(uow, browser, Section.AUDIT)
        try:
            entries = await read_audit_log(uow, actor=console.actor,
                                           filters=_filters(params, zone),
                                           page=Page(max_id=max_id, limit=PAGE_SIZE + 1))
        except DomainError as exc:
            error, status_code = browser.explain(exc), exc.status_code
    return console.render(
        browser, "admin_audit.html", status_code=status_code, log_entries=entries[:PAGE_SIZE],
        older=entries[PAGE_SIZE - 1].id if len(entries) > PAGE_SIZE else None,
        paged=max_id is not None, filters=shown, actions=_actions(shown["action"]),
        error=error, query=str(QueryParams({k: v for k, v in shown.items() if v})),
        details_text=details_text, zone=zone)


def _actions(chosen: str) -> list[str]:
    return sorted({*KNOWN_ACTIONS, chosen} - {""})


@router.get(AUDIT_PATH + ".csv", include_in_schema=False)
async def audit_export(browser: SignedIn) -> Response:
    params = browser.request.query_params
    rows: list[sa.Row] = []
    async with uows(browser.request).read() as uow:
        console = await open_console(uow, browser, Section.AUDIT)
        try:
            filters = _filters(params, person_zone(browser))
            while len(rows) < EXPORT_LIMIT:
                batch = await read_audit_log(uow, actor=console.actor, filters=filters, page=Page(
                    max_id=rows[-1].id if rows else None, limit=EXPORT_BATCH))
                rows.extend(batch)
                if len(batch) < EXPORT_BATCH:
                    break
        except DomainError as exc:
            return browser.problem(exc)
    return Response(audit_csv(rows), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="audit-log.csv"',
        "Cache-Control": "no-store"})


def audit_csv(rows: list[sa.Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(value) for value in (
            str(row.id), row.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"), row.actor_label,
            row.actor_signed_in_with or "", row.action, row.target_type,
            "" if row.target_id is None else str(row.target_id), details_text(row.details))])
    return out.getvalue()


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula (= + - @, or a tab
    or carriage return before one) gets a leading apostrophe (OWASP's advice)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
