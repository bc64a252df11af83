from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from zwitscher import i18n


class JSON(Response):
    """JSON via orjson: the hot paths (timelines) spend most of their time encoding."""

    media_type = "application/json; charset=utf-8"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class RawJSON(Response):
    """JSON already encoded (statuses assembled from cached bytes)."""

    media_type = "application/json; charset=utf-8"


def error_response(status_code: int, message: str, description: str | None = None) -> JSON:
    body = {"error": message}
    if description:
        body["error_description"] = description
    return JSON(body, status_code=status_code)


def client_language(request: Request) -> str:
    """The language of a client's error messages, German or English, chosen as Mastodon
    chooses its locale: a `lang` parameter (Mastodon.py sends one; one in the body counts
    once the route has read it), else the best of `Accept-Language`, else English."""
    asked = request.query_params.get("lang") or getattr(request.state, "lang", None)
    return (i18n.supported(asked)
            or i18n.from_accept_language(request.headers.get("accept-language", ""))
            or i18n.DEFAULT_LANGUAGE)
