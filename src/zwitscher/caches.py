"""The process's caches on the read side, importable by every layer (as the settings are).

Two kinds:
- **Versioned** (`statuses`, `accounts`): rendered entities keyed by id *and* version (and the
  generation of what every render shows, such as custom emojis), read fresh for every page by
  one statement (`db.repos.pages`). An entry of an older version is never asked for again and
  ages out, so these need no invalidating: a process that missed a change renders again.
- **Invalidated** (`viewers`: token → who is calling; `filters`: a person's filters): dropped
  when a unit of work that changed their tables commits (`db.engine` notes which), in this
  process at once and in every other over the broker (`CHANNEL`); short-lived besides, so a
  lost message is not forever.

Reader threads (SQLite's `read_at_once`) and the event loop share these caches.

Scaled out (PostgreSQL + Redis), the versioned entities have a second level shared by all
processes (`SharedCache`): what one process rendered, another fetches instead of loading and
rendering it again (after a restart, or for a status the others have read).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio as redis_asyncio

from zwitscher import __version__
from zwitscher.domain.channels import CACHES_CHANNEL
from zwitscher.settings import Settings

# The broker channel on which processes tell each other which caches to drop.
CHANNEL = CACHES_CHANNEL
VIEWERS = "viewers"
FILTERS = "filters"


class BoundedCache:
    """Least recently used entries go first once there are `max_entries`; with
    `max_age_seconds`, entries older than that are not served.

    A page asks some seventy entries, so `get` takes no lock: each step it takes on the
    dictionary is one call that holds the GIL (the keys are tuples of numbers and text), and
    an entry another thread drops meanwhile is simply a miss. Writers take the lock."""

    def __init__(self, max_entries: int, *, max_age_seconds: float | None = None) -> None:
        self.max_entries = max_entries
        self.max_age = max_age_seconds
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        # Counts `clear`s: a value loaded before one must not be put after it.
        self.generation = 0

    def get(self, key: Hashable) -> Any | None:
        entry = self._entries.get(key)
        if entry is None or (self.max_age is not None and entry[1] < time.monotonic()):
            return None
        try:
            self._entries.move_to_end(key)
        except KeyError:
            return None
        return entry[0]

    def put(self, key: Hashable, value: Any, *, loaded_in: int | None = None) -> None:
        """With `loaded_in` (the `generation` read before loading `value`), only if nothing
        was cleared since: a value read before a change must not outlive its invalidation."""
        if self.max_entries <= 0:
            return
        until = time.monotonic() + self.max_age if self.max_age is not None else 0.0
        with self._lock:
            if loaded_in is not None and loaded_in != self.generation:
                return
            self._entries[key] = (value, until)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.generation += 1

    def __len__(self) -> int:
        return len(self._entries)


class SharedCache:
    """Rendered entities in Redis under versioned keys (so nothing is ever invalidated: a
    stale key is not asked for again and expires after `seconds`)."""

    def __init__(self, url: str, *, namespace: str, seconds: int) -> None:
        # A release may render differently: it starts afresh.
        self._prefix = f"{namespace}:entities:{__version__}:"
        self._seconds = seconds
        self._redis = redis_asyncio.from_url(url)

    async def get_many(self, keys: list[str]) -> list[bytes | None]:
        return await self._redis.mget([self._prefix + key for key in keys])

    async def put_many(self, entries: dict[str, bytes]) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            for key, value in entries.items():
                pipe.set(self._prefix + key, value, ex=self._seconds)
            await pipe.execute()

    async def close(self) -> None:
        await self._redis.aclose()


@dataclass
class ReadCaches:
    """One per process."""

    # Views (`views.statuses`, `views.accounts`) and, apart, what the API rendered of them:
    # each holds as many statuses (accounts) as the settings say, neither crowds out the other.
    statuses: BoundedCache = field(default_factory=lambda: BoundedCache(20_000))
    accounts: BoundedCache = field(default_factory=lambda: BoundedCache(10_000))
    status_renders: BoundedCache = field(default_factory=lambda: BoundedCache(20_000))
    account_renders: BoundedCache = field(default_factory=lambda: BoundedCache(10_000))
    viewers: BoundedCache = field(
        default_factory=lambda: BoundedCache(10_000, max_age_seconds=60))
    filters: BoundedCache = field(
        default_factory=lambda: BoundedCache(10_000, max_age_seconds=60))
    shared: SharedCache | None = None

    @classmethod
    def sized(cls, *, statuses: int, accounts: int, viewers: int,
              max_age_seconds: float) -> ReadCaches:
        return cls(statuses=BoundedCache(statuses), accounts=BoundedCache(accounts),
                   status_renders=BoundedCache(statuses), account_renders=BoundedCache(accounts),
                   viewers=BoundedCache(viewers, max_age_seconds=max_age_seconds),
                   filters=BoundedCache(viewers, max_age_seconds=max_age_seconds))

    def share(self, settings: Settings, *, namespace: str) -> None:
        """Scaled out, add the shared level. (SQLite's reads run in one synchronous step that
        cannot wait for Redis; SQLite with Redis keeps to this process's level.)"""
        if settings.redis_url is not None and not settings.is_sqlite:
            self.shared = SharedCache(settings.redis_url, namespace=namespace,
                                      seconds=settings.shared_cache_seconds)

    async def close(self) -> None:
        if self.shared is not None:
            await self.shared.close()

    def forget(self, names: Iterable[str]) -> None:
        """Drop every entry of the invalidated caches named."""
        for name in names:
            if name in (VIEWERS, FILTERS):
                getattr(self, name).clear()
