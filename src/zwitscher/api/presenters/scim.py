"""People and groups as SCIM resources (RFC 7643 sections 4.1 and 4.2)."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from typing_extensions import TypedDict

from zwitscher.api.presenters.common import iso

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"

Locate = Callable[[str, int], str]

# A client may ask for some attributes only (`attributes`, `excludedAttributes`, even of
# sub-attributes): every one may be missing but `schemas` and `id`.


class Meta(TypedDict, total=False):
    resourceType: str
    created: str
    lastModified: str
    location: str


Reference = TypedDict("Reference", {"value": str, "display": str, "$ref": str}, total=False)


class Email(TypedDict, total=False):
    value: str
    type: str
    primary: bool


class Resource(TypedDict):
    schemas: list[str]
    id: str


class ScimUser(Resource, total=False):
    userName: str
    displayName: str
    name: dict[str, str]
    emails: list[Email]
    active: bool
    groups: list[Reference]
    externalId: str
    meta: Meta


class ScimGroup(Resource, total=False):
    displayName: str
    members: list[Reference]
    externalId: str
    meta: Meta


def present_scim_user(person: sa.Row, groups: list[sa.Row], locate: Locate) -> dict:
    """An empty display name is an unassigned `displayName` (and `name`): left out, as after
    a PATCH `remove` (RFC 7644 section 3.5.2.2). The one address is the work address."""
    resource = {
        "schemas": [USER],
        "id": str(person.account_id),
        "userName": person.directory_user_name or person.username,
        "displayName": person.display_name,
        "name": {"formatted": person.display_name},
        "emails": [{"value": person.email, "type": "work", "primary": True}],
        "active": not person.disabled,
        "groups": [{"value": str(g.id), "display": g.name, "$ref": locate("Groups", g.id)}
                   for g in groups],
        "meta": {"resourceType": "User", "created": iso(person.created_at),
                 "lastModified": iso(person.updated_at),
                 "location": locate("Users", person.account_id)},
    }
    if not person.display_name:
        del resource["displayName"], resource["name"]
    if person.external_id:
        resource["externalId"] = person.external_id
    return resource


def present_scim_group(group: sa.Row, members: list[sa.Row] | None, locate: Locate) -> dict:
    """`members` None: left out, as a client asked with `excludedAttributes=members`."""
    resource = {
        "schemas": [GROUP],
        "id": str(group.id),
        "displayName": group.name,
        "meta": {"resourceType": "Group", "created": iso(group.created_at),
                 "lastModified": iso(group.updated_at), "location": locate("Groups", group.id)},
    }
    if members is not None:
        resource["members"] = [{"value": str(m.id), "display": m.username,
                                "$ref": locate("Users", m.id)} for m in members]
    if group.external_id:
        resource["externalId"] = group.external_id
    return resource
