"""Bounded caches for what the read side renders once and serves many times.

Entries are keyed by id *and* version (and the generation of what every render shows, such as
custom emojis), read fresh for every page by one statement (`db.repos.pages`). An entry of an
older version is never asked for again and ages out; so nothing here needs invalidating for
correctness, and a process that missed a change renders again instead of serving it stale.

Reader threads (SQLite's `read_at_once`) and the event loop share these caches, hence the lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any


class BoundedCache:
    """Least recently used entries go first once there are `max_entries`."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            value = self._entries.get(key)
            if value is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: Hashable, value: Any) -> None:
        if self.max_entries <= 0:
            return
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


@dataclass
class ReadCaches:
    """One per process: rendered statuses and accounts, by (origin, generation, id, version)."""

    statuses: BoundedCache = field(default_factory=lambda: BoundedCache(20_000))
    accounts: BoundedCache = field(default_factory=lambda: BoundedCache(10_000))

    @classmethod
    def sized(cls, *, statuses: int, accounts: int) -> ReadCaches:
        return cls(BoundedCache(statuses), BoundedCache(accounts))
