"""Directory import and export for admins: the same CSV as `zwitscher groups import|export`."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response
from typing_extensions import TypedDict

from zwitscher.api.deps import actor_of, scoped, uows
from zwitscher.api.operations import declare
from zwitscher.api.params import Params, csv_upload
from zwitscher.api.responses import JSON
from zwitscher.domain.directory_csv import read_directory_csv, write_directory_csv
from zwitscher.services.export_directory import export_directory
from zwitscher.services.import_directory import import_directory
from zwitscher.services.oauth import Viewer

router = APIRouter(prefix="/api/zwitscher/v1/admin/directory")
IMPORT_PATH = "/api/zwitscher/v1/admin/directory/import"


class LineProblem(TypedDict):
    line: int
    message: str


class PersonChanges(TypedDict):
    username: str
    changes: dict[str, str | None]


class GroupChanges(TypedDict):
    slug: str
    changes: dict[str, str | None]


class ImportReport(TypedDict):
    """What the import changed (or, on a dry run, would change); memberships as
    [group slug, username]."""

    dry_run: bool
    errors: list[LineProblem]
    accounts_created: list[str]
    accounts_updated: list[PersonChanges]
    groups_created: list[str]
    groups_updated: list[GroupChanges]
    memberships_added: list[list[str]]
    memberships_removed: list[list[str]]


class ImportOptions(Params):
    dry_run: bool = False
    sync_memberships: bool = False
    # E-mail each new person a link to choose a password.
    welcome: bool = True


@router.post("/import")
@declare(returns=ImportReport, takes=ImportOptions, files=("file",))
async def import_csv(request: Request,
                     viewer: Viewer = Depends(scoped("admin:write:accounts"))) -> JSON:
    data, options = await csv_upload(request, ImportOptions)
    rows = read_directory_csv(data)
    async with uows(request).write() as uow:
        report = await import_directory(uow, actor=await actor_of(uow, viewer), rows=rows,
                                        dry_run=options.dry_run,
                                        sync_memberships=options.sync_memberships,
                                        welcome=options.welcome)
    if report.errors:
        return JSON({"error": f"Validation failed: {len(report.errors)} problem(s) in the file; "
                              "nothing was imported", **report.as_json()}, status_code=422)
    return JSON(report.as_json())


@router.get("/export")
@declare(returns=str, media_type="text/csv")
async def export_csv(request: Request,
                     viewer: Viewer = Depends(scoped("admin:read:accounts"))) -> Response:
    async with uows(request).read() as uow:
        rows = await export_directory(uow, actor=await actor_of(uow, viewer))
    return Response(write_directory_csv(rows), media_type="text/csv; charset=utf-8", headers={
        "content-disposition": 'attachment; filename="directory.csv"'})
