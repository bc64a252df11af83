"""Reading `max_id` / `since_id` / `min_id` / `limit`, and writing Mastodon's `Link` header."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from starlette.responses import Response

from zwitscher.api.deps import origin
from zwitscher.db.pagination import Page
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.ids import parse_id


def page_from(request: Request, *, default: int = 20, maximum: int = 40) -> Page:
    query = request.query_params

    def id_param(name: str) -> int | None:
        raw = query.get(name)
        if raw in (None, ""):
            return None
        value = parse_id(raw)
        if value is None:
            raise ValidationFailed("%(name)s is not a valid id", name=name)
        return value

    raw_limit = query.get("limit")
    try:
        limit = int(raw_limit) if raw_limit not in (None, "") else default
    except ValueError as exc:
        raise ValidationFailed("limit must be a number") from exc
    raw_offset = query.get("offset")
    try:
        offset = max(int(raw_offset), 0) if raw_offset not in (None, "") else 0
    except ValueError as exc:
        raise ValidationFailed("offset must be a number") from exc
    return Page(max_id=id_param("max_id"), since_id=id_param("since_id"),
                min_id=id_param("min_id"), limit=min(max(limit, 1), maximum),
                offset=min(offset, 10_000))


_PAGING_PARAMS = frozenset({"max_id", "min_id", "since_id", "offset"})


def link_header(request: Request, response: Response, ids: list[int]) -> None:
    """`next` pages to older items (max_id), `prev` to newer ones (min_id), on the origin the
    client used (`origin`) and with its other query parameters kept."""
    if not ids:
        return
    kept = urlencode([(name, value) for name, value in request.query_params.multi_items()
                      if name not in _PAGING_PARAMS])
    base = f"{origin(request)}{request.scope['path']}?{kept}{'&' if kept else ''}"
    response.headers["Link"] = (f'<{base}max_id={ids[-1]}>; rel="next", '
                                f'<{base}min_id={ids[0]}>; rel="prev"')
