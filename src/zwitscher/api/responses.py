from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response


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
