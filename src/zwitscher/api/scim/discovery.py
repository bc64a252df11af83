"""SCIM discovery (RFC 7644 section 4): what this service provider supports. Public, as the
RFC allows: it describes the protocol, not anybody's data."""

from __future__ import annotations

from fastapi import APIRouter, Request

from zwitscher.api.deps import origin
from zwitscher.api.presenters.scim import GROUP, USER
from zwitscher.api.scim.common import MAX_COUNT, PREFIX, ScimError, ScimJSON, list_response

router = APIRouter(prefix=PREFIX)
_CONFIG = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
_RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"


def _attribute(name: str, *, required: bool = False, kind: str = "string",
               uniqueness: str = "none", multi: bool = False, **extra) -> dict:
    return {"name": name, "type": kind, "multiValued": multi, "required": required,
            "caseExact": False, "mutability": "readWrite", "returned": "default",
            "uniqueness": uniqueness, **extra}


_SCHEMAS = {
    USER: {"id": USER, "name": "User", "description": "A person of the organisation",
           "attributes": [
               _attribute("userName", required=True, uniqueness="server"),
               _attribute("displayName"),
               _attribute("name", kind="complex", subAttributes=[_attribute("formatted")]),
               _attribute("emails", kind="complex", multi=True, required=True,
                          subAttributes=[_attribute("value"), _attribute("type"),
                                         _attribute("primary", kind="boolean")]),
               _attribute("active", kind="boolean"),
               _attribute("externalId", uniqueness="server"),
               _attribute("groups", kind="complex", multi=True, mutability="readOnly",
                          subAttributes=[_attribute("value"), _attribute("display")])]},
    GROUP: {"id": GROUP, "name": "Group", "description": "A group of people",
            "attributes": [
                _attribute("displayName", required=True),
                _attribute("externalId", uniqueness="server"),
                _attribute("members", kind="complex", multi=True,
                           subAttributes=[_attribute("value"), _attribute("display")])]},
}


@router.get("/ServiceProviderConfig")
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
             "schema": schema,
             "meta": {"resourceType": "ResourceType",
                      "location": f"{origin(request)}{PREFIX}/ResourceTypes/{name}"}}
            for name, schema in (("User", USER), ("Group", GROUP))]


@router.get("/ResourceTypes")
async def resource_types(request: Request) -> ScimJSON:
    types = _resource_types(request)
    return list_response(types, total=len(types), start=1)


@router.get("/ResourceTypes/{name}")
async def resource_type(request: Request, name: str) -> ScimJSON:
    found = next((t for t in _resource_types(request) if t["id"] == name), None)
    if found is None:
        raise ScimError(404, f"Resource type {name} not found")
    return ScimJSON(found)


@router.get("/Schemas")
async def schemas(request: Request) -> ScimJSON:
    found = [_schema(request, schema_id) for schema_id in _SCHEMAS]
    return list_response(found, total=len(found), start=1)


@router.get("/Schemas/{schema_id}")
async def schema(request: Request, schema_id: str) -> ScimJSON:
    if schema_id not in _SCHEMAS:
        raise ScimError(404, f"Schema {schema_id} not found")
    return ScimJSON(_schema(request, schema_id))


def _schema(request: Request, schema_id: str) -> dict:
    return {"schemas": [_SCHEMA], **_SCHEMAS[schema_id],
            "meta": {"resourceType": "Schema",
                     "location": f"{origin(request)}{PREFIX}/Schemas/{schema_id}"}}
