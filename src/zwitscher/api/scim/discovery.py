"""SCIM discovery (RFC 7644 section 4): what this service provider supports. Public, as the
RFC allows: it describes the protocol, not anybody's data."""

from __future__ import annotations

from fastapi import APIRouter, Request
from typing_extensions import TypedDict

from zwitscher.api.deps import origin
from zwitscher.api.operations import declare
from zwitscher.api.presenters.scim import GROUP, USER, Meta
from zwitscher.api.scim.common import (
    MAX_COUNT,
    PREFIX,
    ListHead,
    ScimError,
    ScimJSON,
    list_response,
)

router = APIRouter(prefix=PREFIX)
_CONFIG = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
_RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"


class ServiceProviderConfig(TypedDict):
    schemas: list[str]
    documentationUri: str
    patch: dict[str, bool]
    bulk: dict[str, bool | int]
    filter: dict[str, bool | int]
    changePassword: dict[str, bool]
    sort: dict[str, bool]
    etag: dict[str, bool]
    authenticationSchemes: list[dict[str, str | bool]]
    meta: Meta


class ResourceType(TypedDict):
    schemas: list[str]
    id: str
    name: str
    endpoint: str
    description: str
    schema: str
    schemaExtensions: list
    meta: Meta


class Attribute(TypedDict, total=False):
    name: str
    type: str
    multiValued: bool
    required: bool
    mutability: str
    returned: str
    uniqueness: str
    caseExact: bool
    description: str
    canonicalValues: list[str]
    referenceTypes: list[str]
    subAttributes: list[Attribute]


class Schema(TypedDict):
    schemas: list[str]
    id: str
    name: str
    description: str
    attributes: list[Attribute]
    meta: Meta


class ResourceTypeList(ListHead):
    Resources: list[ResourceType]


class SchemaList(ListHead):
    Resources: list[Schema]


def _attribute(name: str, *, kind: str = "string", required: bool = False,
               multi: bool = False, mutability: str = "readWrite", uniqueness: str = "none",
               case_exact: bool = False, description: str = "", **extra) -> dict:
    attribute = {"name": name, "type": kind, "multiValued": multi, "required": required,
                 "mutability": mutability, "returned": "default", "uniqueness": uniqueness,
                 **extra}
    if kind in ("string", "reference"):
        attribute["caseExact"] = case_exact
    if description:
        attribute["description"] = description
    return attribute


# Exactly what the server keeps and how it treats each attribute (see `user_attributes`):
# a client that follows these definitions is never refused for following them.
_EXTERNAL_ID = _attribute(
    "externalId", uniqueness="server", case_exact=True,
    description="The directory's own id; compared exactly. Removed by PATCH remove or a PUT "
                "without it.")
_SCHEMAS = {
    USER: {"id": USER, "name": "User", "description": "A person of the organisation",
           "attributes": [
               _attribute("userName", required=True, uniqueness="server",
                          description="The directory's name for the person, 1 to 320 "
                                      "characters, matched case-insensitively. The person's "
                                      "@handle is made from it once and does not follow it. "
                                      "Cannot be removed."),
               _attribute("name", kind="complex", description=(
                   "Only formatted is kept, as the display name (one value with "
                   "displayName). When formatted is missing, givenName and familyName are "
                   "joined to make it; they are not kept. Absent when empty."),
                   subAttributes=[_attribute("formatted")]),
               _attribute("displayName", description=(
                   "The name shown on posts, at most 100 characters (longer ones are cut); "
                   "the same value as name.formatted. Absent when empty.")),
               _attribute("emails", kind="complex", multi=True, required=True, description=(
                   "Exactly one address is kept: the primary (else the first) of those sent, "
                   "returned as the primary work address. An add or replace sets it; it cannot "
                   "be removed. A POST without emails uses a userName that is an address."),
                   subAttributes=[
                       _attribute("value", required=True, uniqueness="server",
                                  description="Unique among all people."),
                       _attribute("type", mutability="readOnly", canonicalValues=["work"]),
                       _attribute("primary", kind="boolean", mutability="readOnly")]),
               _attribute("active", kind="boolean", required=True, description=(
                   "false deactivates the person: sign-in is refused and their tokens are "
                   "revoked. A POST without it creates an active person. Cannot be removed.")),
               _EXTERNAL_ID,
               _attribute("groups", kind="complex", multi=True, mutability="readOnly",
                          description="The groups the person belongs to directly.",
                          subAttributes=[
                              _attribute("value", mutability="readOnly", case_exact=True),
                              _attribute("display", mutability="readOnly"),
                              _attribute("$ref", kind="reference", mutability="readOnly",
                                         case_exact=True, referenceTypes=["Group"])])]},
    GROUP: {"id": GROUP, "name": "Group", "description": "A group of people",
            "attributes": [
                _attribute("displayName", required=True,
                           description="1 to 200 characters. Cannot be removed."),
                _EXTERNAL_ID,
                _attribute("members", kind="complex", multi=True, description=(
                    "The people in the group directly. PATCH selects members by "
                    "members[value eq \"ID\"] (remove only)."),
                    subAttributes=[
                        _attribute("value", required=True, mutability="immutable",
                                   case_exact=True, description="A User id."),
                        _attribute("display", mutability="readOnly",
                                   description="The member's @handle."),
                        _attribute("$ref", kind="reference", mutability="readOnly",
                                   case_exact=True, referenceTypes=["User"])])]},
}


def _refuse_filters(request: Request) -> None:
    """RFC 7644 section 4: discovery endpoints do not filter, and say so with 403 rather
    than let a client believe a filter held."""
    if "filter" in request.query_params:
        raise ScimError(403, "Discovery endpoints do not support filters")


@router.get("/ServiceProviderConfig")
@declare(returns=ServiceProviderConfig)
async def service_provider_config(request: Request) -> ScimJSON:
    return ScimJSON({
        "schemas": [_CONFIG],
        "documentationUri": f"{origin(request)}/docs/directory",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_COUNT},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [{
            "type": "oauthbearertoken", "name": "OAuth Bearer Token", "primary": True,
            "description": "A token from `zwitscher scim token`"}],
        "meta": {"resourceType": "ServiceProviderConfig",
                 "location": f"{origin(request)}{PREFIX}/ServiceProviderConfig"},
    })


def _resource_types(request: Request) -> list[dict]:
    return [{"schemas": [_RESOURCE_TYPE], "id": name, "name": name, "endpoint": f"/{name}s",
             "description": _SCHEMAS[schema]["description"], "schema": schema,
             "schemaExtensions": [],
             "meta": {"resourceType": "ResourceType",
                      "location": f"{origin(request)}{PREFIX}/ResourceTypes/{name}"}}
            for name, schema in (("User", USER), ("Group", GROUP))]


@router.get("/ResourceTypes")
@declare(returns=ResourceTypeList, errors=(403,))
async def resource_types(request: Request) -> ScimJSON:
    _refuse_filters(request)
    types = _resource_types(request)
    return list_response(types, total=len(types), start=1)


@router.get("/ResourceTypes/{name}")
@declare(returns=ResourceType)
async def resource_type(request: Request, name: str) -> ScimJSON:
    found = next((t for t in _resource_types(request) if t["id"] == name), None)
    if found is None:
        raise ScimError(404, f"Resource type {name} not found")
    return ScimJSON(found)


@router.get("/Schemas")
@declare(returns=SchemaList, errors=(403,))
async def schemas(request: Request) -> ScimJSON:
    _refuse_filters(request)
    found = [_schema(request, schema_id) for schema_id in _SCHEMAS]
    return list_response(found, total=len(found), start=1)


@router.get("/Schemas/{urn}")
@declare(returns=Schema)
async def schema(request: Request, urn: str) -> ScimJSON:
    if urn not in _SCHEMAS:
        raise ScimError(404, f"Schema {urn} not found")
    return ScimJSON(_schema(request, urn))


def _schema(request: Request, schema_id: str) -> dict:
    return {"schemas": [_SCHEMA], **_SCHEMAS[schema_id],
            "meta": {"resourceType": "Schema",
                     "location": f"{origin(request)}{PREFIX}/Schemas/{schema_id}"}}
