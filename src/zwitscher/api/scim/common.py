"""What every SCIM route shares: the media type, error bodies, the directory-token check,
request bodies, paging and list responses (RFC 7644)."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Request
from starlette.responses import Response

from zwitscher.api.deps import optional_viewer, origin, uows
from zwitscher.api.params import read_params
from zwitscher.domain.errors import DomainError
from zwitscher.domain.scim_filter import Comparison, FilterError, parse_filter
from zwitscher.services import record_token_use
from zwitscher.services.oauth import Viewer

PREFIX = "/scim/v2"
MEDIA_TYPE = "application/scim+json"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
MAX_COUNT = 200


class ScimJSON(Response):
    media_type = MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class ScimError(DomainError):
    """An error SCIM clients understand: `status`, a `scimType` for 400 and 409, `detail`."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status_code = status
        self.scim_type = scim_type


_SCIM_TYPES = {400: "invalidValue", 409: "uniqueness", 413: "tooLarge"}


def scim_error_response(status: int, detail: str, scim_type: str | None = None) -> ScimJSON:
    body: dict = {"schemas": [ERROR], "status": str(status), "detail": detail}
    scim_type = scim_type or _SCIM_TYPES.get(status)
    if scim_type:
        body["scimType"] = scim_type
    headers = {"WWW-Authenticate": 'Bearer realm="scim"'} if status == 401 else None
    return ScimJSON(body, status_code=status, headers=headers)


def scim_error_for(exc: DomainError) -> ScimJSON:
    """Our errors as SCIM sees them: validation failures are 400 `invalidValue`."""
    if isinstance(exc, ScimError):
        return scim_error_response(exc.status_code, exc.message, exc.scim_type)
    status = 400 if exc.status_code == 422 else exc.status_code
    return scim_error_response(status, exc.message.removeprefix("Validation failed: "))


async def directory_caller(request: Request) -> Viewer:
    """Only tokens issued by `zwitscher scim token` may provision."""
    viewer = await optional_viewer(request)
    if viewer is None:
        raise ScimError(401, "A bearer token is required")
    if not viewer.directory or not viewer.may("admin:write"):
        raise ScimError(403, "Only a directory token (zwitscher scim token) may use SCIM")
    if record_token_use.due(viewer.token_id):
        async with uows(request).write() as uow:
            await record_token_use.record_token_use(uow, token_id=viewer.token_id)
    return viewer


async def scim_body(request: Request) -> dict:
    try:
        body = await read_params(request)
    except DomainError as exc:
        raise ScimError(400, exc.message, "invalidSyntax") from exc
    if not body:
        raise ScimError(400, "The request body must be a SCIM JSON object", "invalidSyntax")
    return body


def search(request: Request, allowed: frozenset[str]) -> tuple[list[Comparison], int, int]:
    """The filter, the 1-based start index and the count of a list request."""
    params = request.query_params
    try:
        comparisons = parse_filter(params["filter"], allowed=allowed) \
            if params.get("filter") else []
    except FilterError as exc:
        raise ScimError(400, str(exc), "invalidFilter") from exc
    try:
        start = max(int(params.get("startIndex", "1")), 1)
        count = min(max(int(params.get("count", "100")), 0), MAX_COUNT)
    except ValueError as exc:
        raise ScimError(400, "startIndex and count must be integers") from exc
    return comparisons, start, count


def list_response(resources: list[dict], *, total: int, start: int) -> ScimJSON:
    return ScimJSON({"schemas": [LIST], "totalResults": total, "startIndex": start,
                     "itemsPerPage": len(resources), "Resources": resources})


def resource_id(raw: str) -> int:
    if not raw.isdigit() or len(raw) > 19:
        raise ScimError(404, f"Resource {raw} not found")
    return int(raw)


def patch_operations(body: dict) -> list[dict]:
    """The operations of a PatchOp request, each with its `op` lowercased (Entra ID sends
    `Replace`, `Add`)."""
    operations = body.get("Operations", body.get("operations"))
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, "A PatchOp request needs a list of Operations", "invalidSyntax")
    normalised = []
    for operation in operations:
        if not isinstance(operation, dict) or not isinstance(operation.get("op"), str):
            raise ScimError(400, "Each operation needs an op", "invalidSyntax")
        op = operation["op"].lower()
        if op not in ("add", "remove", "replace"):
            raise ScimError(400, f"Unknown op {operation['op']!r}", "invalidSyntax")
        path = operation.get("path")
        if path is not None and not isinstance(path, str):
            raise ScimError(400, "path must be a string", "invalidPath")
        if op != "remove" and "value" not in operation:
            raise ScimError(400, f"The {op} operation needs a value", "invalidValue")
        if op == "remove" and not path:
            raise ScimError(400, "The remove operation needs a path", "noTarget")
        normalised.append({"op": op, "path": path, "value": operation.get("value")})
    return normalised


def location(request: Request, kind: str, resource: int) -> str:
    return f"{origin(request)}{PREFIX}/{kind}/{resource}"
