"""An HTTP client session that reaches only public internet addresses.

Push endpoints are URLs people give us, and the server POSTs to them: without this, anyone
could make it send requests into the network it runs in (the database, an admin panel, a
cloud metadata service). Names are checked after resolving (a public name may point to a
private address), and every request of a redirect chain is checked too. Operators who run a
push service on their own network for development turn the check off with
`ZWITSCHER_PUSH_ALLOW_HTTP=true`.
"""

from __future__ import annotations

import ipaddress
import socket
from types import SimpleNamespace

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult


class NotPublic(Exception):
    """The destination is not on the public internet: never to be contacted."""


def is_public_address(text: str) -> bool:
    try:
        address = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_global


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


class _PublicOnlyResolver(AbstractResolver):
    def __init__(self) -> None:
        self._resolver = aiohttp.ThreadedResolver()

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        found = await self._resolver.resolve(host, port, family)
        public = [entry for entry in found if is_public_address(entry["host"])]
        if not public:
            raise NotPublic(host)
        return public

    async def close(self) -> None:
        await self._resolver.close()


async def _refuse_private_literals(session: aiohttp.ClientSession, context: SimpleNamespace,
                                   params: aiohttp.TraceRequestStartParams) -> None:
    # Addresses written in the URL never reach the resolver.
    host = params.url.raw_host or ""
    if _is_address(host) and not is_public_address(host):
        raise NotPublic(host)


def public_only_session(timeout: aiohttp.ClientTimeout) -> aiohttp.ClientSession:
    tracing = aiohttp.TraceConfig()
    tracing.on_request_start.append(_refuse_private_literals)
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(resolver=_PublicOnlyResolver()),
                                 trace_configs=[tracing], timeout=timeout)
