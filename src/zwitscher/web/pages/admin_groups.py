"""The administration console › groups: the tree of groups, one group's page (rename, move,
managers and members, add many at once), deletion after a confirmation, and the directory's
CSV import (upload, the dry run's plan, "Apply") and export.

Admins see every group; a group's managers see the groups they manage and all below them
(`policies.groups.may_manage_group`); anyone else gets the console's 403 page. The services
check every action again. Import and export are the admins' (as their services require).

The import applies exactly the plan it showed: the plan page carries the uploaded file
(compressed, sealed with the browser's secret) and the plan's fingerprint, and `import_directory`
refuses to apply when the directory changed in between, so the person sees the new plan.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import zlib
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.directory_csv import write_directory_csv
from zwitscher.domain.errors import Conflict, DomainError, Forbidden, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.policies.console import Section
from zwitscher.policies.group_moderation import GROUP_MODERATOR
from zwitscher.policies.groups import may_manage_group
from zwitscher.services.add_group_members_by_name import add_group_members_by_name
from zwitscher.services.change_group_members import remove_group_members
from zwitscher.services.create_group import GroupDraft, create_group
from zwitscher.services.delete_group import delete_group
from zwitscher.services.export_directory import export_directory
from zwitscher.services.import_directory import ImportReport, import_directory
from zwitscher.services.mark_press_group import PressSettings, mark_press_group
from zwitscher.services.read_directory_upload import MAX_ROWS, read_directory_upload
from zwitscher.services.update_group import update_group
from zwitscher.web.browser import Browser
from zwitscher.web.console import CONSOLE_PATH, Console, open_console, refused
from zwitscher.web.guards import EarlyAnswer, GenuineForm, SignedIn

router = APIRouter()
GROUPS_PATH = f"{CONSOLE_PATH}/{Section.GROUPS}"
IMPORT_PATH = f"{GROUPS_PATH}/import"
APPLY_PATH = f"{IMPORT_PATH}/apply"
MEMBERS_PER_PAGE = 100
# The result counts the import page shows after "Apply" (query parameters of its redirect).
RESULT_COUNTS = ("accounts_created", "accounts_updated", "groups_created", "groups_updated",
                 "memberships_added", "memberships_removed")


# The tree and creating groups.

def _tree(groups: list[sa.Row], counts: dict[int, int]) -> list[dict]:
    """The groups as nested entries (name order); a group whose parent is not among them (a
    manager's subtree) is a root."""
    entries = {g.id: {"group": g, "members": counts.get(g.id, 0), "children": []}
               for g in groups}
    roots = []
    for group in sorted(groups, key=lambda g: (g.name.lower(), g.id)):
        parent = entries.get(group.parent_id)
        (parent["children"] if parent else roots).append(entries[group.id])
    return roots


async def _visible_groups(uow: UnitOfWork, console: Console) -> list[sa.Row]:
    if console.actor.administers:
        return await uow.groups.all_groups()
    return await uow.groups.managed_by(console.actor.account_id)


async def _groups_page(browser: Browser, *, draft: dict | None = None, error: str | None = None,
                       status_code: int = 200) -> Response:
    async with uows(browser.request).read() as uow:
        console = await open_console(uow, browser, Section.GROUPS)
        groups = await _visible_groups(uow, console)
        counts = await uow.groups.member_counts([g.id for g in groups])
    return console.render(browser, "admin_groups.html", status_code=status_code,
                          tree=_tree(groups, counts), groups=groups, draft=draft or {},
                          error=error, deleted=browser.request.query_params.get("deleted"))


@router.get(GROUPS_PATH, include_in_schema=False)
async def groups_page(browser: SignedIn) -> Response:
    return await _groups_page(browser)


@router.post(GROUPS_PATH, include_in_schema=False)
async def new_group(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    fields = {name: form.get(name, "").strip() for name in ("name", "slug", "parent")}
    try:
        async with uows(request).write() as uow:
            console = await open_console(uow, browser, Section.GROUPS)
            group = await create_group(uow, actor=console.actor, draft=GroupDraft(
                slug=fields["slug"][:100], name=fields["name"][:300],
                parent_id=_optional_id(fields["parent"])))
    except Forbidden:
        return refused(browser)
    except DomainError as exc:
        return await _groups_page(browser, draft=fields, error=browser.explain(exc),
                                  status_code=exc.status_code)
    return browser.redirect(f"{GROUPS_PATH}/{group.id}?created=1")


def _optional_id(raw: str) -> int | None:
    if not raw:
        return None
    found = parse_id(raw)
    if found is None:
        raise ValidationFailed("Choose a group from the list")
    return found


# The directory's CSV: export, and import after a dry run.

@router.get(f"{GROUPS_PATH}/export", include_in_schema=False)
async def export_csv(browser: SignedIn) -> Response:
    async with uows(browser.request).read() as uow:
        console = await _admins_only(uow, browser)
        rows = await export_directory(uow, actor=console.actor)
    return Response(write_directory_csv(rows), media_type="text/csv; charset=utf-8", headers={
        "content-disposition": 'attachment; filename="directory.csv"',
        "cache-control": "no-store"})


async def _admins_only(uow: UnitOfWork, browser: Browser) -> Console:
    console = await open_console(uow, browser, Section.GROUPS)
    if not console.actor.administers:
        raise EarlyAnswer(refused(browser))
    return console


async def _import_page(browser: Browser, *, status_code: int = 200, **context) -> Response:
    async with uows(browser.request).read() as uow:
        console = await _admins_only(uow, browser)
    query = browser.request.query_params
    counts = [query.get(name, "") for name in RESULT_COUNTS]
    applied = (dict(zip(RESULT_COUNTS, map(int, counts), strict=True))
               if "applied" in query
               and all(c.isascii() and c.isdigit() and len(c) < 10 for c in counts)
               else None)
    context.setdefault("options", {"sync": False, "welcome": True})
    return console.render(browser, "admin_groups_import.html", status_code=status_code,
                          max_rows=MAX_ROWS, applied=applied, **context,
                          # The site's limit for a form (app.py's BodySizeLimit).
                          max_kb=browser.settings.max_import_bytes // 1024)


@router.get(IMPORT_PATH, include_in_schema=False)
async def import_page(browser: SignedIn) -> Response:
    return await _import_page(browser)


@router.post(IMPORT_PATH, include_in_schema=False)
async def plan_import(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    """The dry run: the plan as a table, and the sealed file for "Apply"."""
    options = {"sync": form.get("sync") == "on", "welcome": form.get("welcome") == "on"}
    upload = (await request.form()).get("file")
    try:
        async with uows(request).read() as uow:
            console = await _admins_only(uow, browser)
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise ValidationFailed("Choose a CSV file to import")
            data = await upload.read()
            report = await import_directory(
                uow, actor=console.actor, rows=read_directory_upload(data), dry_run=True,
                sync_memberships=options["sync"])
    except DomainError as exc:
        return await _import_page(browser, status_code=exc.status_code, options=options,
                                  error=browser.explain(exc))
    return await _plan_page(browser, report, data, options)


async def _plan_page(browser: Browser, report: ImportReport, data: bytes, options: dict, *,
                     status_code: int = 200, error: str | None = None) -> Response:
    payload = base64.b64encode(zlib.compress(data, 9)).decode()
    sealed = {"payload": payload, "fingerprint": report.fingerprint,
              "sync": "on" if options["sync"] else "", "welcome": "on" if options["welcome"]
              else ""}
    sealed["seal"] = _seal(browser, sealed)
    return await _import_page(browser, status_code=422 if report.errors else status_code,
                              report=report, sealed=sealed, options=options, error=error)


def _seal(browser: Browser, fields: dict) -> str:
    """What the plan page hands back on "Apply", signed with this browser's secret."""
    message = "\n".join(fields[name] for name in ("payload", "fingerprint", "sync", "welcome"))
    return hmac.new(browser.secret.encode(), b"directory-import\n" + message.encode(),
                    hashlib.sha256).hexdigest()


def _unsealed(browser: Browser, form: dict) -> bytes:
    fields = {name: form.get(name, "") for name in ("payload", "fingerprint", "sync", "welcome")}
    if not hmac.compare_digest(_seal(browser, fields).encode(), form.get("seal", "").encode()):
        raise ValidationFailed("The plan could not be checked; upload the file again")
    limit = browser.settings.max_import_bytes
    inflate = zlib.decompressobj()
    data = inflate.decompress(base64.b64decode(fields["payload"]), limit + 1)
    if len(data) > limit or inflate.unconsumed_tail:
        raise ValidationFailed("The plan could not be checked; upload the file again")
    return data


@router.post(APPLY_PATH, include_in_schema=False)
async def apply_import(request: Request, browser: SignedIn, form: GenuineForm) -> Response:
    options = {"sync": form.get("sync") == "on", "welcome": form.get("welcome") == "on"}
    try:
        async with uows(request).write() as uow:
            console = await _admins_only(uow, browser)
            data = _unsealed(browser, form)
            report = await import_directory(
                uow, actor=console.actor, rows=read_directory_upload(data), dry_run=False,
                sync_memberships=options["sync"], welcome=options["welcome"],
                planned=form.get("fingerprint", ""))
    except Conflict as exc:  # the directory changed: show the plan as it is now
        async with uows(request).read() as uow:
            report = await import_directory(
                uow, actor=console.actor, rows=read_directory_upload(data), dry_run=True,
                sync_memberships=options["sync"])
        return await _plan_page(browser, report, data, options, status_code=exc.status_code,
                                error=browser.explain(exc))
    except DomainError as exc:
        return await _import_page(browser, status_code=exc.status_code, options=options,
                                  error=browser.explain(exc))
    counts = {name: len(getattr(report, name)) for name in RESULT_COUNTS}
    return browser.redirect(f"{IMPORT_PATH}?{urlencode({'applied': 1, **counts})}")


# One group: details, members, deletion.

async def _managed_group(uow: UnitOfWork, browser: Browser, raw_id: str) -> tuple[Console,
                                                                                 sa.Row]:
    """The console and the group, or the 403 page for anyone who does not manage it (the same
    page for a group that does not exist, so ids say nothing to them)."""
    console = await open_console(uow, browser, Section.GROUPS)
    group_id = parse_id(raw_id)
    group = await uow.groups.get(group_id) if group_id else None
    if group is None and console.actor.administers:
        raise EarlyAnswer(browser.not_found())
    if group is None or not await may_manage_group(uow, console.actor, group.id):
        raise EarlyAnswer(refused(browser))
    return console, group


async def _group_page(browser: Browser, raw_id: str, *, status_code: int = 200,
                      draft: dict | None = None, error: str | None = None, pasted: str = "",
                      role: str = "member", member_error: str | None = None,
                      press_draft: dict | None = None,
                      press_error: str | None = None) -> Response:
    request = browser.request
    raw_page = request.query_params.get("page", "1")
    page = max(1, min(int(raw_page) if raw_page.isascii() and raw_page.isdigit() else 1,
                      10_000))
    async with uows(request).read() as uow:
        console, group = await _managed_group(uow, browser, raw_id)
        actor = console.actor
        groups = await _visible_groups(uow, console)
        below = set(await uow.groups.descendant_ids(group.id))
        managers = await uow.groups.people_in(group.id, role="manager", limit=500)
        moderators = await uow.groups.people_in(group.id, role=GROUP_MODERATOR, limit=500)
        members = await uow.groups.people_in(group.id, role="member", limit=MEMBERS_PER_PAGE,
                                             offset=(page - 1) * MEMBERS_PER_PAGE)
        counts = await uow.groups.role_counts(group.id)
        may_delete = actor.administers or (group.parent_id is not None and await
                                           may_manage_group(uow, actor, group.parent_id))
    by_id = {g.id: g for g in groups}
    return console.render(
        browser, "admin_groups_group.html", status_code=status_code, group=group,
        parent=by_id.get(group.parent_id), may_move=actor.administers, may_delete=may_delete,
        new_parents=[g for g in sorted(groups, key=lambda g: g.name.lower())
                     if g.id not in below],
        subgroups=[g for g in groups if g.parent_id == group.id],
        managers=managers, moderators=moderators, members=members, page=page,
        member_count=counts.get("member", 0),
        manager_count=counts.get("manager", 0), moderator_count=counts.get(GROUP_MODERATOR, 0),
        more=counts.get("member", 0) > page * MEMBERS_PER_PAGE,
        notice=request.query_params.get("done"), draft=draft or {}, error=error,
        pasted=pasted, role=role, member_error=member_error, press_draft=press_draft or {},
        press_error=press_error)


@router.get(f"{GROUPS_PATH}/{{group_id}}", include_in_schema=False)
async def group_page(group_id: str, browser: SignedIn) -> Response:
    return await _group_page(browser, group_id)


@router.post(f"{GROUPS_PATH}/{{group_id}}", include_in_schema=False)
async def change_group(request: Request, group_id: str, browser: SignedIn,
                       form: GenuineForm) -> Response:
    fields = {name: form.get(name, "") for name in ("name", "description", "parent")}
    try:
        async with uows(request).write() as uow:
            console, group = await _managed_group(uow, browser, group_id)
            changes = {"parent_id": _optional_id(fields["parent"].strip())} \
                if "parent" in form and console.actor.administers else {}
            await update_group(uow, actor=console.actor, group_id=group.id,
                               name=fields["name"][:300], description=fields["description"]
                               [:6000], **changes)
    except Forbidden:
        return refused(browser)
    except DomainError as exc:
        return await _group_page(browser, group_id, status_code=exc.status_code, draft=fields,
                                 error=browser.explain(exc))
    return browser.redirect(f"{GROUPS_PATH}/{group.id}?done=saved")


@router.post(f"{GROUPS_PATH}/{{group_id}}/press", include_in_schema=False)
async def change_press(request: Request, group_id: str, browser: SignedIn,
                       form: GenuineForm) -> Response:
    """A press group or not, and its public name and description (admins only)."""
    fields = {"press": form.get("press") == "on", "press_name": form.get("press_name", ""),
              "press_description": form.get("press_description", "")}
    try:
        async with uows(request).write() as uow:
            console, group = await _managed_group(uow, browser, group_id)
            await mark_press_group(uow, actor=console.actor, group_id=group.id,
                                   settings=PressSettings(
                                       press=fields["press"], name=fields["press_name"][:300],
                                       description=fields["press_description"][:3000]))
    except Forbidden:
        return refused(browser)
    except DomainError as exc:
        return await _group_page(browser, group_id, status_code=exc.status_code,
                                 press_draft=fields, press_error=browser.explain(exc))
    return browser.redirect(f"{GROUPS_PATH}/{group.id}?done=saved")


@router.post(f"{GROUPS_PATH}/{{group_id}}/members", include_in_schema=False)
async def add_members(request: Request, group_id: str, browser: SignedIn,
                      form: GenuineForm) -> Response:
    pasted, role = form.get("names", ""), form.get("role", "member")
    try:
        async with uows(request).write() as uow:
            console, group = await _managed_group(uow, browser, group_id)
            await add_group_members_by_name(uow, actor=console.actor, group_id=group.id,
                                            pasted=pasted[:200_000], role=role)
    except Forbidden:
        return refused(browser)
    except DomainError as exc:
        return await _group_page(browser, group_id, status_code=exc.status_code,
                                 pasted=pasted, role=role, member_error=browser.explain(exc))
    return browser.redirect(f"{GROUPS_PATH}/{group.id}?done=added")


@router.post(f"{GROUPS_PATH}/{{group_id}}/members/remove", include_in_schema=False)
async def remove_member(request: Request, group_id: str, browser: SignedIn,
                        form: GenuineForm) -> Response:
    try:
        async with uows(request).write() as uow:
            console, group = await _managed_group(uow, browser, group_id)
            account_id = parse_id(form.get("account", ""))
            await remove_group_members(uow, actor=console.actor, group_id=group.id,
                                       account_ids=[account_id] if account_id else [])
    except Forbidden:
        return refused(browser)
    except DomainError as exc:
        return await _group_page(browser, group_id, status_code=exc.status_code,
                                 member_error=browser.explain(exc))
    return browser.redirect(f"{GROUPS_PATH}/{group.id}?done=removed")


@router.get(f"{GROUPS_PATH}/{{group_id}}/delete", include_in_schema=False)
async def confirm_deletion(group_id: str, browser: SignedIn) -> Response:
    async with uows(browser.request).read() as uow:
        console, group = await _managed_group(uow, browser, group_id)
        counts = await uow.groups.role_counts(group.id)
        subgroups = len(await uow.groups.descendant_ids(group.id)) - 1
        parent = await uow.groups.get(group.parent_id) if group.parent_id else None
    return console.render(browser, "admin_groups_delete.html", group=group, parent=parent,
                          people=sum(counts.values()), subgroups=subgroups)


@router.post(f"{GROUPS_PATH}/{{group_id}}/delete", include_in_schema=False)
async def remove_group(request: Request, group_id: str, browser: SignedIn,
                       _form: GenuineForm) -> Response:
    try:
        async with uows(request).write() as uow:
            console, group = await _managed_group(uow, browser, group_id)
            await delete_group(uow, actor=console.actor, group_id=group.id)
    except Forbidden:
        return refused(browser)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(f"{GROUPS_PATH}?{urlencode({'deleted': group.name})}")
