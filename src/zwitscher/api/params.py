"""Request input as Mastodon clients send it: JSON, form data or query strings, interchangeably.

Keys in Rails' bracket style become structure: `media_ids[]=1&media_ids[]=2` is a list,
`poll[options][]=a` a nested list, `source[privacy]=x` a nested dict, and
`media_attributes[][id]=1` a list of dicts. Unknown keys are ignored
by the models; values are coerced leniently (`"true"`, `"1"` are booleans) as Rails does.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, TypeVar
from urllib.parse import parse_qsl

import orjson
from fastapi import Request
from pydantic import BaseModel, ValidationError, WithJsonSchema, field_validator
from starlette.datastructures import UploadFile

from zwitscher.domain.errors import BadRequest, DomainError, TooLarge, ValidationFailed
from zwitscher.domain.ids import parse_id

M = TypeVar("M", bound=BaseModel)
_KEY_RE = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
MAX_KEYS = 200
_BAD_PERCENT_RE = re.compile(r"%(?![0-9A-Fa-f]{2})")


class UnsupportedMediaType(DomainError):
    status_code = 415


def _insert(target: dict, key: str, value: object) -> None:
    match = _KEY_RE.match(key)
    if not match:
        target[key] = value
        return
    parts = [match.group(1)] + re.findall(r"\[([^\[\]]*)\]", match.group(2))
    _place(target, parts, value)


def _place(node: dict, parts: list[str], value: object) -> None:
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        next_is_list = not last and parts[i + 1] == ""
        if part == "":
            continue
        if last:
            node[part] = value
        elif next_is_list:
            existing = node.get(part)
            if not isinstance(existing, list):
                existing = node[part] = []
            rest = parts[i + 2:]
            if rest and rest[0]:
                # A list of hashes, as Rails builds it: `a[][k]=1&a[][j]=2&a[][k]=3` is
                # [{k: 1, j: 2}, {k: 3}]: a key the last hash already has starts a new one.
                item = existing[-1] if existing and isinstance(existing[-1], dict) else None
                if item is None or rest[0] in item:
                    item = {}
                    existing.append(item)
                _place(item, rest, value)
                return
            existing.append(value)
            return
        else:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child


def _merge_pairs(target: dict, pairs) -> None:
    for count, (key, value) in enumerate(pairs):
        if count >= MAX_KEYS:
            raise BadRequest("Too many parameters")
        if isinstance(value, UploadFile):
            continue
        _insert(target, key, value)


def _parse_urlencoded(body: bytes) -> list[tuple[str, str]]:
    """Strictly, as Rack does: bad UTF-8 or %-escapes are refused rather than silently replaced
    (Starlette's parser reads raw bytes as Latin-1 and turns `%ff` into U+FFFD)."""
    text = body.decode("utf-8")
    if _BAD_PERCENT_RE.search(text):
        raise ValueError("invalid %-encoding")
    return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")


def _contains_nul(data: object) -> bool:
    """PostgreSQL text cannot hold NUL; iterative, since JSON may nest deeper than the stack."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


async def read_params(request: Request, *, body_of_get: bool = False) -> dict:
    """`body_of_get`: read the body of a GET too, as Rails does (Mastodon.py sends the ids of
    `familiar_followers` as a JSON body)."""
    params = await _read_params(request, body_of_get=body_of_get)
    if _contains_nul(params):
        raise BadRequest("The request contains a NUL character")
    if isinstance(params.get("lang"), str):
        # The language of its error messages (`responses.client_language`), as Mastodon.py
        # sends it with every request.
        request.state.lang = params["lang"]
    return params


async def _read_params(request: Request, *, body_of_get: bool = False) -> dict:
    params: dict = {}
    _merge_pairs(params, request.query_params.multi_items())
    if request.method in ("HEAD", "OPTIONS") or (request.method == "GET" and not body_of_get):
        return params
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if not body.strip():
        return params
    if content_type in ("application/json", "") or content_type.endswith("+json"):
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise BadRequest("The request body is not valid JSON (UTF-8)") from exc
        if not isinstance(data, dict):
            raise ValidationFailed("The request body must be a JSON object")
        params.update(data)
    elif content_type == "application/x-www-form-urlencoded":
        try:
            pairs = _parse_urlencoded(body)
        except ValueError as exc:
            raise BadRequest("The form data could not be read") from exc
        _merge_pairs(params, pairs)
    elif content_type == "multipart/form-data":
        try:
            form = await request.form()
        except (ValueError, AssertionError) as exc:
            raise BadRequest("The form data could not be read") from exc
        _merge_pairs(params, form.multi_items())
    else:
        raise UnsupportedMediaType(f"Unsupported content type: {content_type}")
    return params


async def uploaded_file(request: Request, name: str, max_bytes: int) -> bytes | None:
    """The content of file field `name` in a multipart body (which `parse` has read: the
    parser kept files over a megabyte on disk, not in memory); None without one."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "multipart/form-data":
        return None
    upload = (await request.form()).get(name)
    if not isinstance(upload, UploadFile):
        return None
    if upload.size is not None and upload.size > max_bytes:
        raise TooLarge(f"The file is larger than {max_bytes} bytes")
    data = await upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge(f"The file is larger than {max_bytes} bytes")
    return data


def iso_datetime(raw: str, name: str) -> datetime:
    """An ISO 8601 date and time, as Mastodon reads one: without a zone it is UTC, and a
    date alone is its midnight."""
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise ValidationFailed(f"{name} must be an ISO 8601 date and time") from exc
    return moment


def describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors()[:5]:
        where = ".".join(str(p) for p in item["loc"]) or "body"
        parts.append(f"{where} {item['msg'].lower()}")
    return ", ".join(parts)


async def parse(request: Request, model: type[M], *, body_of_get: bool = False) -> M:
    params = await read_params(request, body_of_get=body_of_get)
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        raise ValidationFailed(describe(exc)) from exc


# An id as the API writes them, a string of digits (a JSON number is taken too). Only the
# OpenAPI document says so: what does not have the shape of one names nothing, which each
# route answers in its way (404, or 422 naming the parameter).
ID_PATTERN = "^[0-9]{1,19}$"
Id = Annotated[str | int, WithJsonSchema({"type": "string", "pattern": ID_PATTERN})]


class Params(BaseModel):
    """Base for request models: unknown fields are ignored, as Mastodon ignores them."""

    model_config = {"extra": "ignore", "str_max_length": 100_000}


def with_examples(*examples: dict) -> dict:
    """A `Params` model's config with examples for the OpenAPI document (which the API's
    fuzz test sends too)."""
    return {**Params.model_config, "json_schema_extra": {"examples": list(examples)}}


class IdList(Params):
    """`id[]=1&id[]=2` (or one `id=1`): the accounts or statuses asked for."""

    id: list[Id] = []

    @field_validator("id", mode="before")
    @classmethod
    def _one_or_many(cls, value):
        return value if isinstance(value, list) else [value]

    def ids(self, limit: int) -> list[int]:
        """The first `limit` of those that have the shape of an id (others name nothing)."""
        return [i for i in (parse_id(raw) for raw in self.id) if i is not None][:limit]


async def csv_upload(request: Request, model: type[M]) -> tuple[bytes, M]:
    """A CSV file (a `text/csv` body or a multipart `file`) and the options that come with it
    (from the query, or the form's other fields), read into `model`."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    options = dict(request.query_params)
    if content_type == "multipart/form-data":
        try:
            form = await request.form()
        except (ValueError, AssertionError) as exc:
            raise BadRequest("The form data could not be read") from exc
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ValidationFailed("file must be a CSV file upload")
        data = await upload.read()
        options |= {key: value for key, value in form.items() if isinstance(value, str)}
    elif content_type in ("text/csv", "text/plain"):
        data = await request.body()
    else:
        raise UnsupportedMediaType("Send the CSV as text/csv or as a multipart file")
    try:
        return data, model.model_validate(options)
    except ValidationError as exc:
        raise ValidationFailed(describe(exc)) from exc
