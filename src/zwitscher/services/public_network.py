"""HTTP requests that reach only public internet addresses, for URLs other people chose.

Push endpoints and the links people post are URLs the server requests; which addresses
qualify is `domain/public_addresses.py`. Names are checked after resolving, by the resolver
the connection then uses (a public name may point to a private address, and checking first
and connecting later would let the answer change in between); addresses written in a URL never
reach a resolver, so each request is checked before it starts. Redirects are followed by hand
(`fetch_public`), each hop checked the same way.

Operators allow more for development and tests: `ZWITSCHER_PUSH_ALLOW_HTTP=true` turns the
check off for push, `ZWITSCHER_PREVIEW_ALLOW_PRIVATE_ADDRESSES` names networks link previews may
reach all the same.
"""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass
from types import SimpleNamespace

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from zwitscher.domain.public_addresses import Network, is_public_address, parse_address

REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5


class NotPublic(Exception):
    """The destination is not on the public internet: never to be contacted."""


class Unfetchable(Exception):
    """The URL gave nothing to use: another scheme, an error status, too many redirects, or
    more than the limit where a whole body was needed."""


class PublicOnlyResolver(AbstractResolver):
    """Resolves as `inner` does (the system's resolver by default) and keeps the public
    addresses (and those in `allowed`); a name with none is refused."""

    def __init__(self, *, allowed: tuple[Network, ...] = (),
                 inner: AbstractResolver | None = None) -> None:
        self._allowed = allowed
        self._inner = inner or aiohttp.ThreadedResolver()

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        found = await self._inner.resolve(host, port, family)
        public = [entry for entry in found if is_public_address(entry["host"], self._allowed)]
        if not public:
            raise NotPublic(host)
        return public

    async def close(self) -> None:
        await self._inner.close()


def public_only_session(timeout: aiohttp.ClientTimeout, *,
                        allowed: tuple[Network, ...] = ()) -> aiohttp.ClientSession:
    async def refuse_private_literals(session: aiohttp.ClientSession,
                                      context: SimpleNamespace,
                                      params: aiohttp.TraceRequestStartParams) -> None:
        host = params.url.raw_host or ""
        if parse_address(host) is not None and not is_public_address(host, allowed):
            raise NotPublic(host)

    tracing = aiohttp.TraceConfig()
    tracing.on_request_start.append(refuse_private_literals)
    connector = aiohttp.TCPConnector(resolver=PublicOnlyResolver(allowed=allowed))
    return aiohttp.ClientSession(connector=connector, trace_configs=[tracing], timeout=timeout)


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # where the redirects led
    media_type: str  # lower case, without parameters
    charset: str | None
    body: bytes


async def fetch_public(session: aiohttp.ClientSession, url: str, *, headers: dict[str, str],
                       max_bytes: int, seconds: float, truncate: bool) -> Fetched:
    """GET an http(s) URL through a `public_only_session`, following at most MAX_REDIRECTS
    redirects, all within `seconds`. At most `max_bytes` are read: with `truncate` the body is
    cut there (a page's head is what matters), else a larger one is Unfetchable. Raises
    NotPublic, Unfetchable, TimeoutError, aiohttp.ClientError or ValueError (a bad URL)."""
    async with asyncio.timeout(seconds):
        target = URL(url)
        for _ in range(MAX_REDIRECTS + 1):
            if target.scheme not in ("http", "https") or not target.host:
                raise Unfetchable(f"not a web URL: {target}")
            async with session.get(target, headers=headers, allow_redirects=False) as response:
                if response.status in REDIRECTS and "Location" in response.headers:
                    target = target.join(URL(response.headers["Location"]))
                    continue
                if response.status != 200:
                    raise Unfetchable(f"{target} answered {response.status}")
                body = await _read(response, max_bytes, truncate)
                return Fetched(str(target), response.content_type.lower(), response.charset,
                               body)
        raise Unfetchable(f"more than {MAX_REDIRECTS} redirects from {url}")


async def _read(response: aiohttp.ClientResponse, max_bytes: int, truncate: bool) -> bytes:
    if not truncate and (response.content_length or 0) > max_bytes:
        raise Unfetchable(f"larger than {max_bytes} bytes")
    body = bytearray()
    async for chunk in response.content.iter_chunked(64 * 1024):
        body += chunk
        if len(body) > max_bytes:
            if not truncate:
                raise Unfetchable(f"larger than {max_bytes} bytes")
            return bytes(body[:max_bytes])
    return bytes(body)
