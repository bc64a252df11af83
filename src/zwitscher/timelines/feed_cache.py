"""Home feed ids in memory, so reading a home timeline asks the database for no ids.

A person's feed is the ids written for them (newest first, as many as the feed keeps) and the
accounts it merges in when read (hybrid fan-out); each merged account has one list of its
recent ids, shared by all its followers. Both are loaded from the database when first asked
and kept up to date by the changes units of work note (`domain.feed_changes`), applied after
they commit: a delivery is added where the feed is loaded, anything else about a person's
feed (a follow, an unfollow, removed entries) drops it to be read again.

What a reader may see is not decided here: the ids are candidates, checked by the page
statement (`db.repos.pages`) against visibility, blocks, mutes, exclusive lists and
`show_reblogs` as they are at that moment.

Two stores keep them: `MemoryFeedStore` here, in one process (the embedded default, whose
fan-out runs in the same process), and `timelines.redis_feeds.RedisFeedStore`, shared by all
processes of the scale-out mode. Both answer a `lookup` before the database is read, and
keep what was loaded only if no change reached that feed meanwhile (the load may predate it).
"""

from __future__ import annotations

import bisect
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from zwitscher.domain.feed_changes import Delivered, FeedChange, Posted, SourcesChanged


@dataclass(frozen=True, slots=True)
class Window:
    """Ids between `low` and `high` (exclusive; None: no bound), at most `count` of them:
    the newest, or with `oldest` the oldest. Cut under the store's lock, so a page copies a
    few dozen ids, not whole feeds."""

    low: int
    high: int | None
    count: int
    oldest: bool = False

    def of(self, ids: list[int]) -> list[int]:
        start = bisect.bisect_right(ids, self.low)
        end = bisect.bisect_left(ids, self.high) if self.high is not None else len(ids)
        if self.oldest:
            return ids[start:min(end, start + self.count)]
        return ids[max(start, end - self.count):end]


@dataclass(slots=True)
class HomeSources:
    written: list[int]  # oldest first (appending is the common change)
    merged_authors: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class FeedLookup:
    """What a store holds of one person's home feed, in a window: the written ids (None: not
    held), the merged authors and the ids of those held; for what is not held, the tokens
    that keep it once loaded."""

    written: list[int] | None
    merged_authors: tuple[int, ...] = ()
    authors: dict[int, list[int]] = field(default_factory=dict)
    home_load: Hashable = None
    author_loads: dict[int, Hashable] = field(default_factory=dict)


class FeedStore(Protocol):
    feed_size: int
    # Whether the store outlives the process that changes it (see `UnitsOfWork`).
    outlives_process: bool

    async def lookup(self, viewer_id: int, window: Window) -> FeedLookup: ...

    async def keep_home(self, viewer_id: int, sources: HomeSources, load: Hashable) -> None:
        ...

    async def keep_author(self, author_id: int, ids: list[int], load: Hashable) -> None: ...

    async def apply(self, changes: Iterable[FeedChange]) -> None: ...


# A load in progress for this long no longer stops others from keeping theirs (its reader
# may have failed before keeping).
LOADING_SECONDS = 30.0


@dataclass(slots=True)
class _Loading:
    """A load in progress: whether a change touched its key meanwhile (then its result is
    not kept: it may predate the change). Readers that miss the same key while it loads share
    it, and the first to finish keeps its result: were each to start its own, every new reader
    of a popular author would void the loads before it, and under load none would be kept."""

    started: float = field(default_factory=time.monotonic)
    touched: bool = False


@dataclass
class MemoryFeedStore:
    max_feeds: int
    feed_size: int
    outlives_process = False
    _homes: OrderedDict[int, HomeSources] = field(default_factory=OrderedDict)
    _authors: OrderedDict[int, list[int]] = field(default_factory=OrderedDict)
    _loading: dict[Hashable, _Loading] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def lookup(self, viewer_id: int, window: Window) -> FeedLookup:
        with self._lock:
            home = self._touch(self._homes, viewer_id)
            if home is None:
                return FeedLookup(None, home_load=self._start_loading(("home", viewer_id)))
            authors: dict[int, list[int]] = {}
            loads: dict[int, Hashable] = {}
            for author_id in home.merged_authors:
                ids = self._touch(self._authors, author_id)
                if ids is None:
                    loads[author_id] = self._start_loading(("author", author_id))
                else:
                    authors[author_id] = window.of(ids)
            return FeedLookup(window.of(home.written), home.merged_authors, authors,
                              author_loads=loads)

    async def keep_home(self, viewer_id: int, sources: HomeSources, load: Hashable) -> None:
        self._keep(self._homes, viewer_id, sources, ("home", viewer_id), load)

    async def keep_author(self, author_id: int, ids: list[int], load: Hashable) -> None:
        self._keep(self._authors, author_id, ids, ("author", author_id), load)

    # Changes.

    async def apply(self, changes: Iterable[FeedChange]) -> None:
        with self._lock:
            for change in changes:
                if isinstance(change, Delivered):
                    for account_id in change.account_ids:
                        self._mark(("home", account_id))
                        home = self._homes.get(account_id)
                        if home is not None:
                            self._insert(home.written, change.status_id)
                elif isinstance(change, Posted):
                    self._mark(("author", change.author_id))
                    ids = self._authors.get(change.author_id)
                    if ids is not None:
                        self._insert(ids, change.status_id)
                elif isinstance(change, SourcesChanged):
                    if change.account_id is None:
                        self._homes.clear()
                        for loading in self._loading.values():
                            loading.touched = True
                    else:
                        self._homes.pop(change.account_id, None)
                        self._mark(("home", change.account_id))

    # Inside the lock.

    def _start_loading(self, key: Hashable) -> _Loading:
        loading = self._loading.get(key)
        if loading is None or time.monotonic() - loading.started > LOADING_SECONDS:
            loading = self._loading[key] = _Loading()
        return loading

    def _touch(self, entries: OrderedDict, key: int) -> HomeSources | list[int] | None:
        found = entries.get(key)
        if found is not None:
            entries.move_to_end(key)
        return found

    def _keep(self, entries: OrderedDict, key: int, value: object, loading_key: Hashable,
              loading: Hashable) -> None:
        with self._lock:
            if self._loading.get(loading_key) is not loading:
                return  # another reader of the same load kept its result already
            del self._loading[loading_key]
            if loading.touched:
                return
            entries[key] = value
            entries.move_to_end(key)
            while len(entries) > self.max_feeds:
                entries.popitem(last=False)

    def _mark(self, loading_key: Hashable) -> None:
        loading = self._loading.get(loading_key)
        if loading is not None:
            loading.touched = True

    def _insert(self, ids: list[int], status_id: int) -> None:
        """Ids are time-sorted, so a new one almost always goes last; a delivery retried
        goes nowhere."""
        at = bisect.bisect_left(ids, status_id)
        if at < len(ids) and ids[at] == status_id:
            return
        ids.insert(at, status_id)
        if len(ids) > self.feed_size:
            del ids[0]
