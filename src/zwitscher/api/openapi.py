"""The API's OpenAPI 3.1 document, served at `/openapi.json` (docs/api.md).

Built from the routes' declarations (`api.operations`) the first time it is asked for, so
neither a request nor the app's start pays for it. The map:

- `install(app)` puts `build_document` behind FastAPI's `app.openapi`;
- `documented_routes(app)` walks the routes of the API: the declared ones, and the streaming
  endpoints (a layer below the API, so described here: `STREAMING`). `undeclared_routes`
  lists the API routes without a declaration, which a test keeps empty;
- `_Operation` reads what a route shows by itself: path parameters, the `scoped` dependency
  (or the optional viewer, or the SCIM directory token) and the errors that follow from them;
- the declared types become `components/schemas` in one pass of pydantic's
  `TypeAdapter.json_schemas`, so every entity is defined once.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, NotRequired

from fastapi import FastAPI, routing
from pydantic import TypeAdapter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from typing_extensions import TypedDict

from zwitscher import __version__
from zwitscher.api.deps import optional_viewer
from zwitscher.api.middleware import UNLIMITED_PATHS, UNLIMITED_PREFIXES
from zwitscher.api.operations import Declaration, Error, declaration_of
from zwitscher.api.params import ID_PATTERN
from zwitscher.api.responses import JSON
from zwitscher.api.scim.common import MEDIA_TYPE as SCIM_MEDIA_TYPE
from zwitscher.api.scim.common import PREFIX as SCIM_PREFIX
from zwitscher.api.scim.common import directory_caller
from zwitscher.domain import scopes as scope_rules
from zwitscher.streaming import endpoints as streaming

OPENAPI_PATH = "/openapi.json"
_REF = "#/components/schemas/{model}"
_PATH_PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_DESCRIPTION = """\
Zwitscher's client API: Mastodon's (`/api/v1`, `/api/v2`, `/oauth`), Zwitscher's own
extensions (`/api/zwitscher/v1`) and SCIM 2.0 provisioning for company directories (`/scim/v2`).

Parameters may be sent as a query string, as form data (Rails' bracket style:
`media_ids[]=1`, `poll[options][]=a`) or as a JSON body, as Mastodon accepts them; this document
describes the JSON bodies. Errors are `{"error": "..."}` (SCIM's own error bodies under
`/scim/v2`). Every caller may make `ZWITSCHER_RATE_LIMIT` requests in five minutes (429 beyond).
The streaming API's WebSocket is `/api/v1/streaming` (`?stream=...`).
"""


class ScimErrorBody(TypedDict):
    """RFC 7644 section 3.12."""

    schemas: list[str]
    status: str
    detail: str
    scimType: NotRequired[str]


class StreamQuery(TypedDict, total=False):
    tag: str
    list: str
    group: str
    only_media: bool


_EVENTS = "text/event-stream"
_STREAM = Declaration(returns=str, takes=StreamQuery, media_type=_EVENTS, errors=(400, 401))
STREAMING: dict[Callable, Declaration] = {
    streaming.health: Declaration(returns=str, media_type="text/plain"),
    **dict.fromkeys((streaming.stream_user, streaming.stream_user_notification,
                     streaming.stream_public, streaming.stream_public_local,
                     streaming.stream_public_remote, streaming.stream_hashtag,
                     streaming.stream_hashtag_local, streaming.stream_group,
                     streaming.stream_list, streaming.stream_direct), _STREAM),
}


@dataclass(frozen=True, slots=True)
class DocumentedRoute:
    path: str
    methods: tuple[str, ...]
    endpoint: Callable
    dependencies: tuple[Callable, ...]
    declaration: Declaration


def install(app: FastAPI) -> None:
    """Serve the document at OPENAPI_PATH (the app is made with `openapi_url=None`): built
    once, on a worker thread, as it takes a few tenths of a second."""
    built: dict[str, Any] = {}
    building = threading.Lock()

    def openapi() -> dict[str, Any]:
        with building:
            if not built:
                built.update(build_document(app))
        return built

    async def serve(_request: Request) -> Response:
        return JSON(await run_in_threadpool(openapi))

    app.openapi = openapi
    app.add_route(OPENAPI_PATH, serve, include_in_schema=False)


def _api_routes(app: FastAPI) -> Iterator[tuple[Any, Callable]]:
    for context in routing.iter_route_contexts(app.routes):
        endpoint = getattr(context, "endpoint", None)
        module = getattr(endpoint, "__module__", "")
        if (module.startswith(("zwitscher.api.", "zwitscher.streaming."))
                and getattr(context, "include_in_schema", True)
                and getattr(context, "methods", None)):
            yield context, endpoint


def undeclared_routes(app: FastAPI) -> list[str]:
    return [f"{' '.join(sorted(context.methods))} {context.path_format}"
            for context, endpoint in _api_routes(app)
            if declaration_of(endpoint) is None and endpoint not in STREAMING]


def documented_routes(app: FastAPI) -> Iterator[DocumentedRoute]:
    for context, endpoint in _api_routes(app):
        declaration = declaration_of(endpoint) or STREAMING.get(endpoint)
        if declaration is None:
            continue
        methods = set(context.methods)
        if not isinstance(context.original_route, routing.APIRoute):
            methods.discard("HEAD")  # Starlette's, added to every GET
        dependant = getattr(context, "dependant", None)
        calls = tuple(d.call for d in dependant.dependencies) if dependant else ()
        yield DocumentedRoute(context.path_format, tuple(sorted(methods)), endpoint, calls,
                              declaration)


def build_document(app: FastAPI) -> dict[str, Any]:
    routes = list(documented_routes(app))
    types = _Types(routes)
    paths: dict[str, dict[str, Any]] = {}
    operation_ids: set[str] = set()
    errors: set[str] = set()
    for route in routes:
        for method in route.methods:
            operation = _Operation(route, method, types, errors).render()
            if operation["operationId"] in operation_ids:
                raise ValueError(f"Two operations are {operation['operationId']}")
            operation_ids.add(operation["operationId"])
            paths.setdefault(route.path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Zwitscher", "version": __version__, "description": _DESCRIPTION},
        "paths": paths,
        "components": {"schemas": types.definitions, "responses": _error_responses(errors),
                       "securitySchemes": _security_schemes(app.state.settings.base_url)},
    }


class _Types:
    """Every declared type as JSON Schema: answers as they are serialised, parameters as
    they are validated."""

    def __init__(self, routes: list[DocumentedRoute]) -> None:
        wanted: dict[tuple[object, str], None] = {(Error, "serialization"): None,
                                                  (ScimErrorBody, "serialization"): None}
        for route in routes:
            declared = route.declaration
            for answer in (declared.returns, *declared.answers.values()):
                if answer is not None:
                    wanted[(answer, "serialization")] = None
            if declared.takes is not None:
                wanted[(declared.takes, "validation")] = None
        self.schemas, defs = TypeAdapter.json_schemas(
            [(kind, mode, TypeAdapter(kind)) for kind, mode in wanted], ref_template=_REF)
        self.definitions = dict(sorted(defs.get("$defs", {}).items()))

    def answer(self, kind: object) -> dict:
        return self.schemas[(kind, "serialization")]

    def parameters(self, kind: object) -> tuple[dict[str, dict], set[str]]:
        """The properties of a parameters model, and which are required."""
        schema = self.resolve(self.schemas[(kind, "validation")])
        return schema.get("properties", {}), set(schema.get("required", ()))

    def resolve(self, schema: dict) -> dict:
        ref = schema.get("$ref")
        return self.definitions[ref.rsplit("/", 1)[1]] if ref else schema

    def shape(self, schema: dict) -> str | None:
        """`array` or `object` when a parameter's schema (or a branch of it) is one."""
        branches = [self.resolve(schema), *(self.resolve(s) for s in schema.get("anyOf", ()))]
        kinds = {branch.get("type") for branch in branches}
        return "array" if "array" in kinds else "object" if "object" in kinds else None


class _Operation:
    def __init__(self, route: DocumentedRoute, method: str, types: _Types,
                 used_errors: set[str]) -> None:
        self.route = route
        self.method = method
        self.types = types
        self.used_errors = used_errors
        self.declared = route.declaration
        self.scim = route.path.startswith(SCIM_PREFIX)
        self.errors: set[int] = {400, *self.declared.errors}
        if not route.path.startswith(UNLIMITED_PREFIXES) and route.path not in UNLIMITED_PATHS:
            self.errors.add(429)

    def render(self) -> dict[str, Any]:
        route, method = self.route, self.method
        slug = re.sub(r"[^A-Za-z0-9]+", "_", route.path).strip("_") or "root"
        operation: dict[str, Any] = {
            "operationId": f"{method.lower()}_{slug}",
            "tags": [route.endpoint.__module__.removeprefix("zwitscher.").removeprefix("api.")],
        }
        summary = (route.endpoint.__doc__ or "").strip().split("\n\n")[0]
        if summary:
            operation["summary"] = " ".join(summary.split())
        security = self._security()
        if security is not None:
            operation["security"] = security
        parameters = self._parameters()
        if parameters:
            operation["parameters"] = parameters
        body = self._request_body()
        if body is not None:
            operation["requestBody"] = body
        operation["responses"] = self._responses()
        return operation

    def _security(self) -> list[dict] | None:
        scopes = self.declared.scopes
        optional = False
        for call in self.route.dependencies:
            if call is directory_caller:
                self.errors |= {401, 403}
                return [{"DirectoryToken": []}]
            if call is optional_viewer:
                optional = True
            elif hasattr(call, "scopes"):
                scopes = call.scopes
                if call.needs_user:
                    self.errors.add(422)  # "This method requires an authenticated user"
        if scopes is not None:
            self.errors |= {401, 403}
            return [{"OAuth2": [scope]} for scope in scopes]
        if optional:
            self.errors |= {401, 403}  # a token given must be valid
            return [{}, {"OAuth2": []}]
        return None

    def _parameters(self) -> list[dict]:
        parameters = []
        for name in _PATH_PARAMETER.findall(self.route.path):
            self.errors.add(404)
            schema = {"type": "string"}
            if name.endswith("_id"):
                schema["pattern"] = ID_PATTERN
            parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
        takes = self.declared.takes
        if takes is not None and self.method not in _BODY_METHODS:
            self.errors.add(422)
            properties, required = self.types.parameters(takes)
            for name, schema in properties.items():
                parameters.append(self._query_parameter(name, schema, name in required))
        if self.declared.paged:
            self.errors.add(422)
            known = {p["name"] for p in parameters}
            for name, description in _PAGING.items():
                if name not in known:
                    parameters.append({"name": name, "in": "query", "description": description,
                                       "schema": {"type": "integer"} if name == "limit"
                                       else {"type": "string", "pattern": ID_PATTERN}})
        return parameters

    def _query_parameter(self, name: str, schema: dict, required: bool) -> dict:
        schema = _without_null(schema)
        parameter = {"name": name, "in": "query", "required": required, "schema": schema}
        shape = self.types.shape(schema)
        if shape == "array":  # Rails' `types[]=a&types[]=b`
            parameter |= {"name": f"{name}[]", "style": "form", "explode": True}
        elif shape == "object":  # `source[privacy]=public`
            parameter |= {"style": "deepObject", "explode": True}
        return parameter

    def _request_body(self) -> dict | None:
        declared = self.declared
        if self.method not in _BODY_METHODS or (declared.takes is None and not declared.files):
            return None
        self.errors |= {413, 415, 422}
        if declared.files:
            properties, _ = self.types.parameters(declared.takes) if declared.takes \
                else ({}, set())
            files = {name: {"type": "string", "contentMediaType": "application/octet-stream"}
                     for name in declared.files}
            schema = {"type": "object", "properties": {**properties, **files}}
            return {"content": {"multipart/form-data": {"schema": schema}}}
        schema = self.types.schemas[(declared.takes, "validation")]
        media_type = SCIM_MEDIA_TYPE if self.scim else "application/json"
        _, required = self.types.parameters(declared.takes)
        return {"required": bool(required), "content": {media_type: {"schema": schema}}}

    def _responses(self) -> dict[str, Any]:
        declared = self.declared
        responses: dict[str, Any] = {}
        for status, answer in {declared.status: declared.returns, **declared.answers}.items():
            response: dict[str, Any] = {"description": HTTPStatus(status).phrase}
            if answer is not None:
                media_type = SCIM_MEDIA_TYPE if self.scim and declared.media_type == \
                    "application/json" else declared.media_type
                response["content"] = {media_type: {"schema": self.types.answer(answer)}}
            if declared.paged:
                response["headers"] = {"Link": {
                    "description": "The next (older) and previous (newer) pages",
                    "schema": {"type": "string"}}}
            responses[str(status)] = response
        family = "ScimError" if self.scim else "Error"
        for status in sorted(self.errors):
            self.used_errors.add(f"{family}{status}")
            responses[str(status)] = {"$ref": f"#/components/responses/{family}{status}"}
        return responses


def _without_null(schema: dict) -> dict:
    """A query string has no null: a parameter that may be None is one left out."""
    branches = [b for b in schema.get("anyOf", ()) if b != {"type": "null"}]
    if not branches or len(branches) == len(schema["anyOf"]):
        return schema
    rest = {key: value for key, value in schema.items()
            if key != "anyOf" and not (key == "default" and value is None)}
    return {**branches[0], **rest} if len(branches) == 1 else {**rest, "anyOf": branches}


_PAGING = {"max_id": "Older than this id", "since_id": "Newer than this id",
           "min_id": "Newer than this id, the oldest first", "limit": "How many at most"}


def _error_responses(names: set[str]) -> dict[str, Any]:
    responses = {}
    for name in sorted(names):
        family, status = name[:-3], int(name[-3:])
        media_type, model = ((SCIM_MEDIA_TYPE, "ScimErrorBody") if family == "ScimError"
                             else ("application/json", "Error"))
        responses[name] = {"description": HTTPStatus(status).phrase, "content": {
            media_type: {"schema": {"$ref": _REF.format(model=model)}}}}
    return responses


def _security_schemes(base_url: str) -> dict[str, Any]:
    """OpenAPI wants the OAuth endpoints as absolute URLs: the configured address's."""
    scopes = {scope: "" for scope in sorted(scope_rules.VALID)}
    authorize, token = f"{base_url}/oauth/authorize", f"{base_url}/oauth/token"
    return {
        "OAuth2": {"type": "oauth2", "description": "Mastodon's OAuth 2 (`/api/v1/apps` "
                   "registers a client); the token as `Authorization: Bearer ...`",
                   "flows": {
                       "authorizationCode": {"authorizationUrl": authorize, "tokenUrl": token,
                                             "scopes": scopes},
                       "password": {"tokenUrl": token, "scopes": scopes},
                       "clientCredentials": {"tokenUrl": token, "scopes": scopes}}},
        "DirectoryToken": {"type": "http", "scheme": "bearer",
                           "description": "A token from `zwitscher scim token`"},
    }
