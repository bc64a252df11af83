"""SCIM Groups: a company directory creates groups, fills them and renames them.

Members are added and removed as Entra ID and Okta send them: `add`/`remove` on `members`
with a list of `{"value": id}`, `remove` with a path `members[value eq "id"]`, `replace` of
the whole list, and `replace` without a path carrying `displayName`. A member's `display`
(their username) and `$ref` are the server's: sent ones are ignored.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response
from typing_extensions import TypedDict

from zwitscher.api.deps import uows
from zwitscher.api.operations import declare
from zwitscher.api.presenters.scim import Locate, ScimGroup, present_scim_group
from zwitscher.api.scim.attributes import Selection
from zwitscher.api.scim.common import (
    PREFIX,
    ListHead,
    ListQuery,
    Operation,
    PatchRequest,
    Query,
    ScimError,
    ScimJSON,
    SearchRequest,
    Selecting,
    conditions,
    directory_caller,
    list_response,
    locator,
    patch_operations,
    query_from_body,
    query_from_params,
    resource_id,
    scim_body,
    selection_from_params,
)
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.roles import DIRECTORY
from zwitscher.domain.scim_filter import Comparison, Filter, Logical
from zwitscher.services.change_directory_group import change_directory_group
from zwitscher.services.delete_group import delete_group
from zwitscher.services.provision_group import provision_group

router = APIRouter(prefix=f"{PREFIX}/Groups", dependencies=[Depends(directory_caller)])


class GroupList(ListHead):
    Resources: list[ScimGroup]


class Member(TypedDict):
    value: str


class GroupWrite(TypedDict, total=False):
    schemas: list[str]
    displayName: str
    externalId: str
    members: list[Member]


SEARCHABLE = {"displayname": "display_name", "externalid": "external_id", "id": "group_id",
              "members.value": "member_id"}


@router.get("")
@declare(returns=GroupList, takes=ListQuery)
async def list_groups(request: Request) -> ScimJSON:
    return await _list(request, query_from_params(request))


@router.post("/.search")
@declare(returns=GroupList, takes=SearchRequest)
async def search_groups(request: Request) -> ScimJSON:
    """RFC 7644 section 3.4.3: the query in a SearchRequest body instead of the URL."""
    return await _list(request, query_from_body(await scim_body(request)))


async def _list(request: Request, query: Query) -> ScimJSON:
    wanted = conditions(query.filter, SEARCHABLE)
    async with uows(request).read() as uow:
        total, found = await find_groups(uow, wanted, offset=query.start - 1, limit=query.count,
                                         selection=query.selection, locate=locator(request))
    return list_response(found, total=total, start=query.start)


async def find_groups(uow: UnitOfWork, wanted: dict | None, *, offset: int, limit: int,
                      selection: Selection, locate: Locate) -> tuple[int, list[dict]]:
    """How many groups match `wanted` (None: none can), and the page of them."""
    if wanted is None:
        return 0, []
    total, groups = await uow.directory.find_groups(offset=offset, limit=limit, **wanted)
    members = await uow.directory.members_of_groups([g.id for g in groups]) \
        if selection.wants("members") else {}
    return total, [selection.apply(present_scim_group(g, members.get(g.id), locate))
                   for g in groups]


@router.get("/{group_id}")
@declare(returns=ScimGroup, takes=Selecting)
async def get_group(request: Request, group_id: str) -> ScimJSON:
    async with uows(request).read() as uow:
        return ScimJSON(await _present(uow, request, resource_id(group_id)))


@router.post("")
@declare(returns=ScimGroup, takes=GroupWrite, status=201, errors=(409,))
async def create_group(request: Request) -> ScimJSON:
    body = {key.lower(): value for key, value in (await scim_body(request)).items()}
    name = _name(body.get("displayname"))
    async with uows(request).write() as uow:
        group = await provision_group(uow, actor=DIRECTORY, display_name=name,
                                      external_id=_external_id(body) or None,
                                      member_ids=_member_ids(body.get("members") or []))
        resource = await _present(uow, request, group.id)
    return ScimJSON(resource, status_code=201,
                    headers={"Location": locator(request)("Groups", group.id)})


@router.put("/{group_id}")
@declare(returns=ScimGroup, takes=GroupWrite, errors=(409,))
async def replace_group(request: Request, group_id: str) -> ScimJSON:
    group = resource_id(group_id)
    body = {key.lower(): value for key, value in (await scim_body(request)).items()}
    name = _name(body.get("displayname"))
    async with uows(request).write() as uow:
        await change_directory_group(uow, actor=DIRECTORY, group_id=group,
                                     display_name=name,
                                     external_id=_external_id(body) or "",
                                     members=_member_ids(body.get("members") or []))
        return ScimJSON(await _present(uow, request, group))


@router.patch("/{group_id}")
@declare(returns=ScimGroup, takes=PatchRequest, errors=(409,))
async def patch_group(request: Request, group_id: str) -> Response:
    group = resource_id(group_id)
    changes: dict = {"add": [], "remove": []}
    for operation in patch_operations(await scim_body(request)):
        _read_operation(operation, changes)
    async with uows(request).write() as uow:
        await change_directory_group(uow, actor=DIRECTORY, group_id=group, **changes)
        return ScimJSON(await _present(uow, request, group))


@router.delete("/{group_id}")
@declare(returns=None, status=204)
async def remove_group(request: Request, group_id: str) -> Response:
    group = resource_id(group_id)
    async with uows(request).write() as uow:
        await delete_group(uow, actor=DIRECTORY, group_id=group)
    return Response(status_code=204)


def _read_operation(operation: Operation, changes: dict) -> None:
    op, path, value = operation.op, operation.path, operation.value
    where = operation.raw_path
    if path is None:
        if not isinstance(value, dict):
            raise ScimError(400, "Without a path, the value must be an object", "invalidValue")
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
        return
    name, selected = path.attribute, path.value_filter
    if name in ("id", "meta", "schemas") or (name == "members" and path.sub_attribute):
        raise ScimError(400, f"{where} is read-only", "mutability")
    if name not in ("members", "displayname", "externalid"):
        raise ScimError(400, f"Groups have no attribute {where}", "invalidPath")
    if path.sub_attribute or (selected is not None and name != "members"):
        raise ScimError(400, f"{where}: {name} has no values or sub-attributes to select",
                        "invalidPath")
    if name == "members" and selected is not None:
        if op != "remove":
            raise ScimError(400, f"{op} of {where} is not supported: add, replace or remove "
                                 "whole members", "invalidPath")
        changes["remove"] += _selected_members(selected)
    elif name == "members":
        ids = _member_ids(value if value is not None else [])
        if op == "add":
            changes["add"] += ids
        elif op == "remove" and value is None:
            changes["members"] = []  # remove every member (RFC 7644 section 3.5.2.2)
        elif op == "remove":
            changes["remove"] += ids
        else:
            changes["members"] = ids
    elif name == "displayname":
        if op == "remove":
            raise ScimError(400, "displayName is required and cannot be removed", "mutability")
        changes["display_name"] = _name(value)
    else:
        changes["external_id"] = "" if op == "remove" else _external_id({"externalid": value})


def _selected_members(selected: Filter) -> list[int]:
    """The members a value filter names: `value eq "ID"`, or several joined by `or`."""
    if isinstance(selected, Logical) and selected.operator == "or":
        return _selected_members(selected.left) + _selected_members(selected.right)
    if isinstance(selected, Comparison) and selected.attribute == "value" \
            and selected.operator == "eq" and isinstance(selected.value, str):
        return [_member_id(selected.value)]
    raise ScimError(400, 'Select members by value only: members[value eq "ID"]',
                    "invalidFilter")


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
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise ScimError(400, f"No such user: {raw}", "invalidValue")
    return int(raw)


async def _present(uow: UnitOfWork, request: Request, group_id: int) -> dict:
    group = await uow.groups.get(group_id)
    if group is None:
        raise ScimError(404, f"Group {group_id} not found")
    selection = selection_from_params(request)
    members = await uow.directory.members_of_groups([group_id]) \
        if selection.wants("members") else {}
    return selection.apply(present_scim_group(group, members.get(group_id), locator(request)))
