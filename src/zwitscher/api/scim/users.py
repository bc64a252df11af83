"""SCIM Users: a company directory creates, finds, changes and deactivates people.

Attribute names are matched case-insensitively (RFC 7643 section 2.1); attributes we do not
keep (titles, addresses, the enterprise extension) are accepted and ignored, so a directory's
default mapping works unchanged. `DELETE` deactivates: posts and history stay.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.api.presenters.scim import present_scim_user
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
from zwitscher.services.provision_person import DirectoryPerson, provision_person
from zwitscher.services.set_person_active import set_person_active
from zwitscher.services.update_person import PersonChanges, update_person

router = APIRouter(prefix=f"{PREFIX}/Users", dependencies=[Depends(directory_caller)])
_USER_URN = "urn:ietf:params:scim:schemas:core:2.0:user:"
_SEARCHABLE = {"username": "user_name", "externalid": "external_id", "emails.value": "email",
               "id": "account_id"}


@router.get("")
async def list_users(request: Request) -> ScimJSON:
    comparisons, start, count = search(request, frozenset(_SEARCHABLE))
    conditions: dict = {}
    for comparison in comparisons:
        if not isinstance(comparison.value, str):
            raise ScimError(400, "Compare with a string value", "invalidFilter")
        conditions[_SEARCHABLE[comparison.attribute]] = comparison.value
    if "account_id" in conditions:
        raw = conditions["account_id"]
        conditions["account_id"] = int(raw) if raw.isdigit() and len(raw) < 19 else -1
    async with uows(request).read() as uow:
        total, people = await uow.directory.find_people(offset=start - 1, limit=count,
                                                        **conditions)
        groups = await uow.directory.groups_of_people([p.account_id for p in people])
    return list_response([present_scim_user(p, groups[p.account_id], _locator(request))
                          for p in people], total=total, start=start)


@router.get("/{user_id}")
async def get_user(request: Request, user_id: str) -> ScimJSON:
    async with uows(request).read() as uow:
        return ScimJSON(await _present(uow, request, resource_id(user_id)))


@router.post("")
async def create_user(request: Request) -> ScimJSON:
    body = _lowered(await scim_body(request))
    fields = _person_fields(body)
    if not fields.get("user_name"):
        raise ScimError(400, "userName is required", "invalidValue")
    if not fields.get("email"):
        if "@" not in fields["user_name"]:
            raise ScimError(400, "An e-mail address is required (emails)", "invalidValue")
        fields["email"] = fields["user_name"]
    person = DirectoryPerson(user_name=fields["user_name"], email=fields["email"],
                             display_name=fields.get("display_name") or "",
                             external_id=fields.get("external_id") or None,
                             active=fields.get("active", True))
    async with uows(request).write() as uow:
        account_id = await provision_person(uow, actor=DIRECTORY, person=person)
        resource = await _present(uow, request, account_id)
    return ScimJSON(resource, status_code=201,
                    headers={"Location": resource["meta"]["location"]})


@router.put("/{user_id}")
async def replace_user(request: Request, user_id: str) -> ScimJSON:
    account_id = resource_id(user_id)
    fields = _person_fields(_lowered(await scim_body(request)))
    if not fields.get("user_name"):
        raise ScimError(400, "userName is required", "invalidValue")
    changes = PersonChanges(user_name=fields["user_name"], email=fields.get("email"),
                            display_name=fields.get("display_name", ""),
                            external_id=fields.get("external_id", ""),
                            active=fields.get("active"))
    async with uows(request).write() as uow:
        await update_person(uow, actor=DIRECTORY, account_id=account_id, changes=changes)
        return ScimJSON(await _present(uow, request, account_id))


@router.patch("/{user_id}")
async def patch_user(request: Request, user_id: str) -> ScimJSON:
    account_id = resource_id(user_id)
    fields: dict = {}
    for operation in patch_operations(await scim_body(request)):
        path, value = operation["path"], operation["value"]
        if operation["op"] == "remove":
            fields.update(_removed(path))
        elif path:
            fields.update(_person_fields({path.lower(): value}))
        elif isinstance(value, dict):
            fields.update(_person_fields(_lowered(value)))
        else:
            raise ScimError(400, "Without a path, the value must be an object", "invalidValue")
    async with uows(request).write() as uow:
        await update_person(uow, actor=DIRECTORY, account_id=account_id,
                            changes=PersonChanges(**fields))
        return ScimJSON(await _present(uow, request, account_id))


@router.delete("/{user_id}")
async def deactivate_user(request: Request, user_id: str) -> Response:
    account_id = resource_id(user_id)
    async with uows(request).write() as uow:
        await set_person_active(uow, actor=DIRECTORY, account_id=account_id, active=False)
    return Response(status_code=204)


async def _present(uow: UnitOfWork, request: Request, account_id: int) -> dict:
    _, found = await uow.directory.find_people(offset=0, limit=1, account_id=account_id)
    if not found:
        raise ScimError(404, f"User {account_id} not found")
    groups = await uow.directory.groups_of_people([account_id])
    return present_scim_user(found[0], groups[account_id], _locator(request))


def _locator(request: Request):
    return lambda kind, resource: location(request, kind, resource)


def _lowered(body: dict) -> dict:
    return {key.lower(): value for key, value in body.items()}


def _person_fields(attributes: dict) -> dict:
    """The attributes we keep, from a resource or a PATCH path and value; keys lowercased."""
    fields: dict = {}
    for key, value in attributes.items():
        key = key.removeprefix(_USER_URN)
        if key == "username":
            fields["user_name"] = _string(value, "userName")
        elif key in ("displayname", "name.formatted"):
            fields["display_name"] = _string(value, "displayName") or ""
        elif key == "name" and isinstance(value, dict) and "display_name" not in fields:
            name = _lowered(value)
            formatted = name.get("formatted") or " ".join(
                str(name[part]) for part in ("givenname", "familyname") if name.get(part))
            fields["display_name"] = _string(formatted, "name.formatted") or ""
        elif key == "externalid":
            fields["external_id"] = _string(value, "externalId") or ""
        elif key == "active":
            fields["active"] = _boolean(value)
        elif key == "emails" or key.startswith(("emails[", "emails.")):
            fields["email"] = _email(value)
    if "display_name" in fields and len(fields["display_name"]) > 100:
        fields["display_name"] = fields["display_name"][:100]
    return fields


def _removed(path: str) -> dict:
    key = path.lower().removeprefix(_USER_URN)
    if key == "externalid":
        return {"external_id": ""}
    if key in ("displayname", "name", "name.formatted"):
        return {"display_name": ""}
    if key in ("username", "emails", "active") or key.startswith("emails"):
        raise ScimError(400, f"{path} cannot be removed", "mutability")
    return {}


def _string(value: object, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ScimError(400, f"{name} must be a string", "invalidValue")
    return value.strip()


def _boolean(value: object) -> bool:
    """Entra ID sends `"False"` as a string in PATCH; others send JSON booleans."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ScimError(400, "active must be true or false", "invalidValue")


def _email(value: object) -> str:
    """The primary (or first) address of an `emails` list, or a single address."""
    if isinstance(value, list):
        entries = [e for e in value if isinstance(e, dict) and isinstance(e.get("value"), str)]
        if not entries:
            raise ScimError(400, "emails must hold at least one value", "invalidValue")
        value = next((e for e in entries if e.get("primary") is True), entries[0])["value"]
    elif isinstance(value, dict):
        value = value.get("value")
    if not isinstance(value, str):
        raise ScimError(400, "An e-mail address must be a string", "invalidValue")
    return value.strip()
