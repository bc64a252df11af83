"""What every SCIM route shares: the media type, error bodies, the directory-token check,
request bodies, list queries (filter, paging, attributes), list responses and PATCH
operations (RFC 7644)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import Request
from starlette.responses import Response
from typing_extensions import TypedDict

from zwitscher.api.deps import optional_viewer, origin, uows
from zwitscher.api.params import read_params
from zwitscher.api.presenters.scim import Locate
from zwitscher.api.scim.attributes import Selection
from zwitscher.domain.errors import DomainError
from zwitscher.domain.ids import parse_id
from zwitscher.domain.scim_filter import (
    Filter,
    FilterError,
    Path,
    PathError,
    equalities,
    matches,
    parse_filter,
    parse_path,
)
from zwitscher.services import record_token_use
from zwitscher.services.oauth import Viewer

PREFIX = "/scim/v2"
MEDIA_TYPE = "application/scim+json"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
MAX_COUNT = 200
DEFAULT_COUNT = 100


class ListHead(TypedDict):
    """A ListResponse without its `Resources` (each list says of which kind)."""

    schemas: list[str]
    totalResults: int
    startIndex: int
    itemsPerPage: int


class Selecting(TypedDict, total=False):
    """Which attributes to return, comma-separated (the one or the other)."""

    attributes: str
    excludedAttributes: str


class ListQuery(Selecting, total=False):
    filter: str
    startIndex: int
    count: int


class SearchRequest(TypedDict, total=False):
    schemas: list[str]
    filter: str
    startIndex: int
    count: int
    attributes: list[str]
    excludedAttributes: list[str]


class PatchOperation(TypedDict, total=False):
    op: str  # add, remove or replace
    path: str
    value: object


class PatchRequest(TypedDict, total=False):
    schemas: list[str]
    Operations: list[PatchOperation]


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


def is_scim_path(path: str) -> bool:
    """SCIM clients get SCIM error bodies (RFC 7644 section 3.12), everyone else Mastodon's."""
    return path == PREFIX or path.startswith(PREFIX + "/")


def scim_error_body(status: int, detail: str, scim_type: str | None = None) -> dict:
    body: dict = {"schemas": [ERROR], "status": str(status), "detail": detail}
    scim_type = scim_type or _SCIM_TYPES.get(status)
    if scim_type:
        body["scimType"] = scim_type
    return body


def scim_error_response(status: int, detail: str, scim_type: str | None = None) -> ScimJSON:
    headers = {"WWW-Authenticate": 'Bearer realm="scim"'} if status == 401 else None
    return ScimJSON(scim_error_body(status, detail, scim_type), status_code=status,
                    headers=headers)


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


@dataclass(frozen=True, slots=True)
class Query:
    """A list request (GET with query parameters, or a SearchRequest body, section 3.4.3):
    the filter, the 1-based start index, the count and the attributes to return. `sortBy`
    and `sortOrder` are ignored (ServiceProviderConfig: sort not supported): results come
    oldest first."""

    filter: Filter | None
    start: int
    count: int
    selection: Selection


def query_from_params(request: Request) -> Query:
    params = request.query_params
    return _query(filter_text=params.get("filter") or None,
                  start=_integer(params.get("startIndex", "1"), "startIndex"),
                  count=_integer(params.get("count", str(DEFAULT_COUNT)), "count"),
                  selection=selection_from_params(request))


def query_from_body(body: dict) -> Query:
    """A SearchRequest (`urn:ietf:params:scim:api:messages:2.0:SearchRequest`); its member
    names are case-insensitive like every SCIM attribute name."""
    lowered = {key.lower(): value for key, value in body.items()}
    filter_text = lowered.get("filter")
    if filter_text is not None and not isinstance(filter_text, str):
        raise ScimError(400, "filter must be a string", "invalidSyntax")
    return _query(filter_text=filter_text or None,
                  start=_integer(lowered.get("startindex", 1), "startIndex"),
                  count=_integer(lowered.get("count", DEFAULT_COUNT), "count"),
                  selection=selection_from(lowered.get("attributes"),
                                           lowered.get("excludedattributes")))


def _query(*, filter_text: str | None, start: int, count: int, selection: Selection) -> Query:
    try:
        found = parse_filter(filter_text) if filter_text else None
    except FilterError as exc:
        raise ScimError(400, str(exc), "invalidFilter") from exc
    # Section 3.4.2.4: a start below 1 is 1, a negative count is 0.
    return Query(found, max(start, 1), min(max(count, 0), MAX_COUNT), selection)


def _integer(value: object, name: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?[0-9]+\s*", value):
        return int(value)
    raise ScimError(400, f"{name} must be an integer", "invalidValue")


def selection_from_params(request: Request) -> Selection:
    """`attributes` / `excludedAttributes` of any request that answers with resources."""
    params = request.query_params
    return selection_from(",".join(params.getlist("attributes")),
                          ",".join(params.getlist("excludedAttributes")))


def selection_from(attributes: object, excluded: object) -> Selection:
    try:
        return Selection.parse(attributes, excluded)
    except ValueError as exc:
        raise ScimError(400, str(exc), "invalidSyntax") from exc


def conditions(found: Filter | None, searchable: dict[str, str]) -> dict | None:
    """What a list request asks of the repository: {column: value} for the `eq` comparisons
    of `found`, or None when no resource can match (`id eq "x"`, or two different values
    for one attribute)."""
    try:
        comparisons = equalities(found) if found is not None else []
    except FilterError as exc:
        raise ScimError(400, str(exc), "invalidFilter") from exc
    wanted: dict = {}
    for comparison in comparisons:
        if comparison.attribute not in searchable:
            raise ScimError(400, f"Filtering by {comparison.attribute!r} is not supported; use "
                                 f"one of {', '.join(sorted(searchable))}", "invalidFilter")
        if not isinstance(comparison.value, str):
            raise ScimError(400, "Compare with a string value", "invalidFilter")
        column, value = searchable[comparison.attribute], comparison.value
        if column in _ID_COLUMNS:
            if not (value.isascii() and value.isdigit()) or len(value) > 18:
                return None
            value = int(value)
        if column in wanted and _key(column, wanted[column]) != _key(column, value):
            return None
        wanted[column] = value
    return wanted


_ID_COLUMNS = frozenset({"account_id", "group_id", "member_id"})
_CASE_EXACT = frozenset({"external_id"}) | _ID_COLUMNS


def _key(column: str, value: object) -> object:
    return value if column in _CASE_EXACT else str(value).lower()


def list_response(resources: list[dict], *, total: int, start: int) -> ScimJSON:
    return ScimJSON({"schemas": [LIST], "totalResults": total, "startIndex": start,
                     "itemsPerPage": len(resources), "Resources": resources})


def resource_id(raw: str) -> int:
    value = parse_id(raw)
    if value is None:
        raise ScimError(404, f"Resource {raw} not found")
    return value


@dataclass(frozen=True, slots=True)
class Operation:
    op: str  # "add", "remove" or "replace"
    path: Path | None
    value: object
    raw_path: str | None  # as the client wrote it, for messages


def patch_operations(body: dict) -> list[Operation]:
    """The operations of a PatchOp request, each with its `op` lowercased (Entra ID sends
    `Replace`, `Add`) and its path parsed: a malformed path is `invalidPath`, so a request
    with one changes nothing (section 3.5.2)."""
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
        raw_path = operation.get("path")
        if raw_path is not None and not isinstance(raw_path, str):
            raise ScimError(400, "path must be a string", "invalidPath")
        if op != "remove" and "value" not in operation:
            raise ScimError(400, f"The {op} operation needs a value", "invalidValue")
        if op == "remove" and raw_path is None:
            raise ScimError(400, "The remove operation needs a path", "noTarget")
        try:
            path = parse_path(raw_path) if raw_path is not None else None
        except PathError as exc:
            raise ScimError(400, str(exc), "invalidPath") from exc
        normalised.append(Operation(op, path, operation.get("value"), raw_path))
    return normalised


def value_matches(found: Filter, value: dict) -> bool:
    try:
        return matches(found, value)
    except FilterError as exc:
        raise ScimError(400, str(exc), "invalidFilter") from exc


def locator(request: Request) -> Locate:
    """Where a resource lives: `locator(request)("Users", 1)` is `https://host/scim/v2/Users/1`."""
    base = f"{origin(request)}{PREFIX}"
    return lambda kind, resource: f"{base}/{kind}/{resource}"
