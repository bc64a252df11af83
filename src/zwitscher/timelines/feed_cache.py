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

This store lives in one process: the embedded default, whose fan-out runs in the same
process. (With several processes, every change would have to reach every process's copy.)
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

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


@dataclass(slots=True)
class _Loading:
    """A load in progress: whether a change touched its key meanwhile (then its result is
    not kept: it may predate the change)."""

    touched: bool = False


@dataclass
class FeedStore:
    max_feeds: int
    feed_size: int
    _homes: OrderedDict[int, HomeSources] = field(default_factory=OrderedDict)
    _authors: OrderedDict[int, list[int]] = field(default_factory=OrderedDict)
    _loading: dict[Hashable, _Loading] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # Reading.

    def home(self, viewer_id: int, window: Window) -> tuple[list[int], tuple[int, ...]] | None:
        """The written ids in `window` and the merged authors, or None if not loaded."""
        with self._lock:
            found = self._touch(self._homes, viewer_id)
            return (window.of(found.written), found.merged_authors) if found else None

    def has_home(self, viewer_id: int) -> bool:
        return viewer_id in self._homes

    def author(self, author_id: int, window: Window) -> list[int] | None:
        """An author's ids in `window`, or None if not loaded."""
        with self._lock:
            found = self._touch(self._authors, author_id)
            return window.of(found) if found is not None else None

    def start_loading(self, key: Hashable) -> _Loading:
        with self._lock:
            loading = self._loading[key] = _Loading()
            return loading

    def keep_home(self, viewer_id: int, sources: HomeSources, loading: _Loading) -> None:
        self._keep(self._homes, viewer_id, sources, ("home", viewer_id), loading)

    def keep_author(self, author_id: int, ids: list[int], loading: _Loading) -> None:
        self._keep(self._authors, author_id, ids, ("author", author_id), loading)

    # Changes.

    def apply(self, changes: Iterable[FeedChange]) -> None:
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

    def clear(self) -> None:
        with self._lock:
            self._homes.clear()
            self._authors.clear()

    # Inside the lock.

    def _touch(self, entries: OrderedDict, key: int) -> HomeSources | list[int] | None:
        found = entries.get(key)
        if found is not None:
            entries.move_to_end(key)
        return found

    def _keep(self, entries: OrderedDict, key: int, value: object, loading_key: Hashable,
              loading: _Loading) -> None:
        with self._lock:
            if self._loading.get(loading_key) is not loading:
                return  # a later load of the same key keeps its result instead
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
