"""Attempts counted per key in a fixed window: how sign-in, password resets and the like are
kept from being tried without end (per network address, per e-mail address, per account).

The counts live where the request rate limits do (`limits`): in this process on the embedded
default, in Redis when scaled out, so every process counts the same attempts. Importable by
every layer, as the settings are; services reach it as `uow.throttle`.
"""

from __future__ import annotations

import hashlib

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import FixedWindowRateLimiter


def limit(text: str) -> RateLimitItem:
    """`"5/15 minutes"`: five attempts in a window of fifteen minutes."""
    return parse(text)


class Throttle:
    def __init__(self) -> None:
        self._storage: Storage = MemoryStorage()
        self._limiter = FixedWindowRateLimiter(self._storage)

    def share(self, redis_url: str | None, *, namespace: str) -> None:
        """Count in Redis, with every process of this instance."""
        if redis_url:
            self._storage = RedisStorage(redis_url.replace("redis://", "async+redis://", 1),
                                         implementation="redispy",
                                         key_prefix=f"zwitscher:{namespace}:attempts")
            self._limiter = FixedWindowRateLimiter(self._storage)

    async def allow(self, item: RateLimitItem, scope: str, key: str) -> bool:
        """Count one attempt of `scope` by `key`; False once there were too many. Keys are
        hashed: an e-mail address typed by anyone is never stored as it is."""
        digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]
        return await self._limiter.hit(item, scope, digest)
