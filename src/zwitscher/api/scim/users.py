"""SCIM Users: a company directory creates, finds, changes and deactivates people.

Attribute names are matched case-insensitively (RFC 7643 section 2.1); which attributes are
kept, and how each is read, is `user_attributes`. `DELETE` deactivates the person and marks
them deleted: from then on they are gone for SCIM (404, in no list) though their posts and
history stay, until a `POST` with their userName, e-mail address or externalId brings the
same account back (`delete_directory_person`, `provision_person`).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response
from typing_extensions import TypedDict

from zwitscher.api.deps import uows
from zwitscher.api.operations import declare
from zwitscher.api.presenters.scim import Email, Locate, ScimUser, present_scim_user
from zwitscher.api.scim.attributes import Selection
from zwitscher.api.scim.common import (
    PREFIX,
    ListHead,
    ListQuery,
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
from zwitscher.api.scim.user_attributes import PersonDraft, changes_to, read_body, write
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.roles import DIRECTORY
from zwitscher.services.delete_directory_person import delete_directory_person
from zwitscher.services.provision_person import DirectoryPerson, provision_person
from zwitscher.services.update_person import update_person

router = APIRouter(prefix=f"{PREFIX}/Users", dependencies=[Depends(directory_caller)])


class UserList(ListHead):
    Resources: list[ScimUser]


class ScimName(TypedDict, total=False):
    formatted: str
    givenName: str
    familyName: str


class UserWrite(TypedDict, total=False):
    """As `Schemas/urn:ietf:params:scim:schemas:core:2.0:User` describes it; names are
    case-insensitive."""

    schemas: list[str]
    userName: str
    name: ScimName
    displayName: str
    emails: list[Email]
    active: bool
    externalId: str


SEARCHABLE = {"username": "user_name", "externalid": "external_id", "emails.value": "email",
              "id": "account_id", "displayname": "display_name"}


@router.get("")
@declare(returns=UserList, takes=ListQuery)
async def list_users(request: Request) -> ScimJSON:
    return await _list(request, query_from_params(request))


@router.post("/.search")
@declare(returns=UserList, takes=SearchRequest)
async def search_users(request: Request) -> ScimJSON:
    """RFC 7644 section 3.4.3: the query in a SearchRequest body instead of the URL."""
    return await _list(request, query_from_body(await scim_body(request)))


async def _list(request: Request, query: Query) -> ScimJSON:
    wanted = conditions(query.filter, SEARCHABLE)
    async with uows(request).read() as uow:
        total, found = await find_users(uow, wanted, offset=query.start - 1, limit=query.count,
                                        selection=query.selection, locate=locator(request))
    return list_response(found, total=total, start=query.start)


async def find_users(uow: UnitOfWork, wanted: dict | None, *, offset: int, limit: int,
                     selection: Selection, locate: Locate) -> tuple[int, list[dict]]:
    """How many people match `wanted` (None: nobody can), and the page of them."""
    if wanted is None:
        return 0, []
    total, people = await uow.directory.find_people(offset=offset, limit=limit, **wanted)
    groups = await uow.directory.groups_of_people([p.account_id for p in people]) \
        if selection.wants("groups") else {}
    return total, [selection.apply(present_scim_user(p, groups.get(p.account_id, []), locate))
                   for p in people]


@router.get("/{user_id}")
@declare(returns=ScimUser, takes=Selecting)
async def get_user(request: Request, user_id: str) -> ScimJSON:
    async with uows(request).read() as uow:
        return ScimJSON(await _present(uow, request, resource_id(user_id)))


@router.post("")
@declare(returns=ScimUser, takes=UserWrite, status=201, errors=(409,))
async def create_user(request: Request) -> ScimJSON:
    draft = PersonDraft()
    read_body(draft, await scim_body(request))
    if not draft.user_name:
        raise ScimError(400, "userName is required", "invalidValue")
    if not draft.email:
        if "@" not in draft.user_name:
            raise ScimError(400, "An e-mail address is required (emails)", "invalidValue")
        draft.email = draft.user_name
    person = DirectoryPerson(user_name=draft.user_name, email=draft.email,
                             display_name=draft.display_name,
                             external_id=draft.external_id or None, active=draft.active)
    async with uows(request).write() as uow:
        account_id = await provision_person(uow, actor=DIRECTORY, person=person)
        resource = await _present(uow, request, account_id)
    return ScimJSON(resource, status_code=201,
                    headers={"Location": locator(request)("Users", account_id)})


@router.put("/{user_id}")
@declare(returns=ScimUser, takes=UserWrite, errors=(409,))
async def replace_user(request: Request, user_id: str) -> ScimJSON:
    """Section 3.5.1: what the body leaves out is cleared (displayName, externalId), except
    what a person always has (their e-mail address, whether they are active)."""
    account_id = resource_id(user_id)
    body = await scim_body(request)
    async with uows(request).write() as uow:
        person = await _person(uow, account_id)
        draft = PersonDraft.of(person)
        draft.user_name = draft.display_name = draft.external_id = ""
        read_body(draft, body)
        if not draft.user_name:
            raise ScimError(400, "userName is required", "invalidValue")
        await update_person(uow, actor=DIRECTORY, account_id=account_id,
                            changes=changes_to(person, draft))
        return ScimJSON(await _present(uow, request, account_id))


@router.patch("/{user_id}")
@declare(returns=ScimUser, takes=PatchRequest, errors=(409,))
async def patch_user(request: Request, user_id: str) -> ScimJSON:
    """The operations apply in order to a draft; any error leaves the person unchanged."""
    account_id = resource_id(user_id)
    operations = patch_operations(await scim_body(request))
    async with uows(request).write() as uow:
        person = await _person(uow, account_id)
        draft = PersonDraft.of(person)
        for operation in operations:
            write(draft, operation.op, operation.path, operation.value,
                  raw_path=operation.raw_path)
        await update_person(uow, actor=DIRECTORY, account_id=account_id,
                            changes=changes_to(person, draft))
        return ScimJSON(await _present(uow, request, account_id))


@router.delete("/{user_id}")
@declare(returns=None, status=204)
async def delete_user(request: Request, user_id: str) -> Response:
    account_id = resource_id(user_id)
    async with uows(request).write() as uow:
        await delete_directory_person(uow, actor=DIRECTORY, account_id=account_id)
    return Response(status_code=204)


async def _person(uow: UnitOfWork, account_id: int):
    _, found = await uow.directory.find_people(offset=0, limit=1, account_id=account_id)
    if not found:
        raise ScimError(404, f"User {account_id} not found")
    return found[0]


async def _present(uow: UnitOfWork, request: Request, account_id: int) -> dict:
    person = await _person(uow, account_id)
    selection = selection_from_params(request)
    groups = await uow.directory.groups_of_people([account_id]) \
        if selection.wants("groups") else {}
    return selection.apply(present_scim_user(person, groups.get(account_id, []),
                                             locator(request)))
