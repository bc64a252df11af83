"""Guards in front of every route: a request-body size limit, per-caller rate limits, and no
NUL characters in the path or query.

All are plain ASGI middleware so they act before any body is read into memory.
"""

from __future__ import annotations

import hashlib
import re
import time
from datetime import UTC, datetime

import orjson
from limits import RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage, RedisStorage
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zwitscher.api.health import HEALTH_PATH
from zwitscher.api.scim.common import MEDIA_TYPE as SCIM_MEDIA_TYPE
from zwitscher.api.scim.common import is_scim_path, scim_error_body

UNLIMITED_PREFIXES = ("/api/v1/streaming",)
# Monitors and load balancers poll it from few addresses; it costs nothing to answer.
UNLIMITED_PATHS = frozenset({HEALTH_PATH})


async def _send_error(scope: Scope, send: Send, status: int, message: str,
                      headers=()) -> None:
    """Mastodon's error body, or SCIM's to SCIM clients (as the app's error handlers do)."""
    if is_scim_path(scope["path"]):
        body, media_type = orjson.dumps(scim_error_body(status, message)), SCIM_MEDIA_TYPE
    else:
        body, media_type = orjson.dumps({"error": message}), "application/json; charset=utf-8"
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", media_type.encode()),
        (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})


ID_SEGMENT = "{id}"


class BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    """`max_bytes` for every request, except the paths in `larger` with limits of their own
    (a path may hold `{id}` for one segment of digits)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int,
                 larger: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = {path: limit for path, limit in (larger or {}).items()
                       if ID_SEGMENT not in path}
        self.larger_patterns = [
            (re.compile(re.escape(path).replace(re.escape(ID_SEGMENT), "[0-9]{1,19}")), limit)
            for path, limit in (larger or {}).items() if ID_SEGMENT in path]

    def _limit(self, path: str) -> int:
        if path in self.larger:
            return self.larger[path]
        return next((limit for pattern, limit in self.larger_patterns
                     if pattern.fullmatch(path)), self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self._limit(scope["path"])
        for name, value in scope["headers"]:
            if name == b"content-length":
                if not value.isdigit() or int(value) > max_bytes:
                    await _send_error(scope, send, 413, "The request body is too large")
                    return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _send_error(scope, send, 413, "The request body is too large")


class RejectNul:
    """PostgreSQL text cannot hold NUL, and routes read the path and query directly, so a `%00`
    there is refused up front (bodies are checked where they are parsed, in `api.params`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and ("\x00" in scope["path"]
                                        or b"%00" in scope.get("query_string", b"")):
            await _send_error(scope, send, 400, "The request contains a NUL character")
            return
        await self.app(scope, receive, send)


class RateLimit:
    """A fixed five-minute window per token (or per address without one), as Mastodon does.

    One round trip to the storage per request: the count comes from `incr` (a script on
    Redis), and when the window ends is remembered from the hit that opened it (or asked once
    when another process opened it), instead of asking `limits`' limiter, which costs three.
    """

    # Windows remembered; forgotten all at once beyond this (then asked again once each).
    MAX_REMEMBERED = 100_000

    def __init__(self, app: ASGIApp, *, per_five_minutes: int, redis_url: str | None) -> None:
        self.app = app
        self.item = RateLimitItemPerMinute(per_five_minutes, 5)
        self.storage = (RedisStorage(redis_url.replace("redis://", "async+redis://", 1),
                                     implementation="redispy")
                        if redis_url else MemoryStorage())
        self._window_ends: dict[str, float] = {}

    async def _hit(self, caller: str) -> tuple[int, float]:
        """The caller's requests in this window (this one included) and when it ends."""
        key = self.item.key_for(caller)
        expiry = self.item.get_expiry()
        count = await self.storage.incr(key, expiry)
        now = time.time()
        ends = self._window_ends.get(key)
        if count == 1 or ends is None or ends <= now:
            ends = now + expiry if count == 1 else await self.storage.get_expiry(key)
            if len(self._window_ends) >= self.MAX_REMEMBERED:
                self._window_ends.clear()
            self._window_ends[key] = ends
        return count, ends

    def _caller(self, scope: Scope) -> str:
        for name, value in scope["headers"]:
            if name == b"authorization":
                return "t:" + hashlib.sha256(value).hexdigest()[:32]
        client = scope.get("client")
        return "a:" + (client[0] if client else "unknown")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["path"].startswith(UNLIMITED_PREFIXES)
                or scope["path"] in UNLIMITED_PATHS):
            await self.app(scope, receive, send)
            return
        count, ends = await self._hit(self._caller(scope))
        reset = datetime.fromtimestamp(ends, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        headers = [(b"x-ratelimit-limit", str(self.item.amount).encode()),
                   (b"x-ratelimit-remaining", str(max(0, self.item.amount - count)).encode()),
                   (b"x-ratelimit-reset", reset.encode())]
        if count > self.item.amount:
            await _send_error(scope, send, 429, "Too many requests", headers)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *headers]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
