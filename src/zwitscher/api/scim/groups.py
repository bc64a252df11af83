"""SCIM Groups: a company directory creates groups, fills them and renames them.

Members are added and removed as Entra ID and Okta send them: `add`/`remove` on `members`
with a list of `{"value": id}`, `remove` with a path `members[value eq "id"]`, `replace` of
the whole list, and `replace` without a path carrying `displayName`.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.api.presenters.scim import present_scim_group
from zwitscher.api.scim.common import (
    PREFIX,
    ScimError,
    ScimJSON,
    directory_caller,
    list_response,
    location,
    patch_operations,
    resource_id,
    scim_body,
    search,
)
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.roles import DIRECTORY
from zwitscher.services.change_directory_group import change_directory_group
from zwitscher.services.delete_group import delete_group
from zwitscher.services.provision_group import provision_group

router = APIRouter(prefix=f"{PREFIX}/Groups", dependencies=[Depends(directory_caller)])
_SEARCHABLE = {"displayname": "display_name", "externalid": "external_id", "id": "group_id"}
_MEMBER_PATH = re.compile(r'^members\[\s*value\s+eq\s+"([^"]*)"\s*\]$', re.IGNORECASE)


@router.get("")
async def list_groups(request: Request) -> ScimJSON:
    comparisons, start, count = search(request, frozenset(_SEARCHABLE))
    conditions: dict = {}
    for comparison in comparisons:
        if not isinstance(comparison.value, str):
            raise ScimError(400, "Compare with a string value", "invalidFilter")
        conditions[_SEARCHABLE[comparison.attribute]] = comparison.value
    if "group_id" in conditions:
        raw = conditions["group_id"]
        conditions["group_id"] = int(raw) if raw.isdigit() and len(raw) < 19 else -1
    async with uows(request).read() as uow:
        total, groups = await uow.directory.find_groups(offset=start - 1, limit=count,
                                                        **conditions)
        members = await _members(uow, request, [g.id for g in groups])
    return list_response([present_scim_group(g, members.get(g.id), _locator(request))
                          for g in groups], total=total, start=start)


@router.get("/{group_id}")
async def get_group(request: Request, group_id: str) -> ScimJSON:
    async with uows(request).read() as uow:
        return ScimJSON(await _present(uow, request, resource_id(group_id)))


@router.post("")
async def create_group(request: Request) -> ScimJSON:
    body = {key.lower(): value for key, value in (await scim_body(request)).items()}
    name = body.get("displayname")
    if not isinstance(name, str) or not name.strip():
        raise ScimError(400, "displayName is required", "invalidValue")
    async with uows(request).write() as uow:
        group = await provision_group(uow, actor=DIRECTORY, display_name=name.strip(),
                                      external_id=_external_id(body) or None,
                                      member_ids=_member_ids(body.get("members") or []))
        resource = await _present(uow, request, group.id)
    return ScimJSON(resource, status_code=201,
                    headers={"Location": resource["meta"]["location"]})


@router.put("/{group_id}")
async def replace_group(request: Request, group_id: str) -> ScimJSON:
    group = resource_id(group_id)
    body = {key.lower(): value for key, value in (await scim_body(request)).items()}
    name = body.get("displayname")
    if not isinstance(name, str) or not name.strip():
        raise ScimError(400, "displayName is required", "invalidValue")
    async with uows(request).write() as uow:
        await change_directory_group(uow, actor=DIRECTORY, group_id=group,
                                     display_name=name.strip(),
                                     external_id=_external_id(body) or "",
                                     members=_member_ids(body.get("members") or []))
        return ScimJSON(await _present(uow, request, group))


@router.patch("/{group_id}")
async def patch_group(request: Request, group_id: str) -> Response:
    group = resource_id(group_id)
    changes: dict = {"add": [], "remove": []}
    for operation in patch_operations(await scim_body(request)):
        _read_operation(operation, changes)
    async with uows(request).write() as uow:
        await change_directory_group(uow, actor=DIRECTORY, group_id=group, **changes)
        return ScimJSON(await _present(uow, request, group))


@router.delete("/{group_id}")
async def remove_group(request: Request, group_id: str) -> Response:
    group = resource_id(group_id)
    async with uows(request).write() as uow:
        await delete_group(uow, actor=DIRECTORY, group_id=group)
    return Response(status_code=204)


def _read_operation(operation: dict, changes: dict) -> None:
    op, path, value = operation["op"], operation["path"], operation["value"]
    key = (path or "").lower()
    single = _MEMBER_PATH.match(path or "")
    if op == "remove" and single:
        changes["remove"].append(_member_id(single.group(1)))
    elif key == "members":
        ids = _member_ids(value if value is not None else [])
        if op == "add":
            changes["add"] += ids
        elif op == "remove" and value is None:
            changes["members"] = []  # remove every member (RFC 7644 section 3.5.2.2)
        elif op == "remove":
            changes["remove"] += ids
        else:
            changes["members"] = ids
    elif key == "displayname" and op != "remove":
        changes["display_name"] = _name(value)
    elif key == "externalid":
        changes["external_id"] = "" if op == "remove" else _external_id({"externalid": value})
    elif not path and isinstance(value, dict):
        attributes = {k.lower(): v for k, v in value.items()}
        if "displayname" in attributes:
            changes["display_name"] = _name(attributes["displayname"])
        if "externalid" in attributes:
            changes["external_id"] = _external_id(attributes)
        if "members" in attributes:
            ids = _member_ids(attributes["members"] or [])
            if op == "add":
                changes["add"] += ids
            else:
                changes["members"] = ids
    else:
        raise ScimError(400, f"Unsupported {op} of {path or 'the group'}", "invalidPath")


def _name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ScimError(400, "displayName must be a non-empty string", "invalidValue")
    return value.strip()


def _external_id(body: dict) -> str:
    value = body.get("externalid")
    if value is not None and not isinstance(value, str):
        raise ScimError(400, "externalId must be a string", "invalidValue")
    return value or ""


def _member_ids(members: object) -> list[int]:
    if isinstance(members, dict):
        members = [members]
    if not isinstance(members, list) or not all(
            isinstance(m, dict) and isinstance(m.get("value"), str | int) for m in members):
        raise ScimError(400, 'members must be a list of {"value": "<user id>"}', "invalidValue")
    return [_member_id(str(m["value"])) for m in members]


def _member_id(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 18:
        raise ScimError(400, f"No such user: {raw}", "invalidValue")
    return int(raw)


async def _members(uow: UnitOfWork, request: Request, group_ids: list[int]) -> dict:
    excluded = request.query_params.get("excludedAttributes", "").lower().split(",")
    if "members" in (name.strip() for name in excluded):
        return {}
    return await uow.directory.members_of_groups(group_ids)


async def _present(uow: UnitOfWork, request: Request, group_id: int) -> dict:
    group = await uow.groups.get(group_id)
    if group is None:
        raise ScimError(404, f"Group {group_id} not found")
    members = await _members(uow, request, [group_id])
    return present_scim_group(group, members.get(group_id), _locator(request))


def _locator(request: Request):
    return lambda kind, resource: location(request, kind, resource)
