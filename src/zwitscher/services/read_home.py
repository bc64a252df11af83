"""A page of someone's home timeline: which statuses, newest first, and what the page statement
found out about them (so presenting them asks nothing more of the database).

With a feed id store (`timelines.feed_cache`: in memory on the embedded default, in Redis when
scaled out) the candidates come from it: the feed's written ids and each merged author's recent
ids, merged here newest first; what the store does not hold yet is loaded and kept (a feed read
for the first time in a read of its own first, an author's list in the page's). The page
statement keeps the candidates the viewer's home may show, in batches until the page is full.
Without a store (several processes on SQLite), one statement reads the page
(`HomeFeedRepo.timeline`).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from zwitscher.db.pagination import Page
from zwitscher.db.repos.pages import EMPTY, PageState
from zwitscher.db.uow import UnitOfWork, UnitsOfWork
from zwitscher.timelines.feed_cache import FeedLookup, FeedStore, HomeSources, Window

T = TypeVar("T")
Present = Callable[[UnitOfWork, list[int], PageState], Awaitable[T]]

# Candidates checked per statement beyond the page's length: most feeds hide few entries.
SLACK = 5
# Statements a page may take before it is served short (a feed of hidden entries).
MAX_BATCHES = 4


async def read_home(uows: UnitsOfWork, feeds: FeedStore | None, *, viewer_id: int,
                    page: Page, present: Present[T]) -> T:
    """`present(uow, ids, state)` the page, in the same read (`read_at_once`)."""
    if feeds is None:
        async def read(uow: UnitOfWork) -> T:
            ids = [row.id for row in await uow.home_feed.timeline(viewer_id, page)]
            return await present(uow, ids, await uow.pages.state(ids, viewer_id))

        return await uows.read_at_once(read)

    window = Window(low=max(page.since_id or 0, page.min_id or 0), high=page.max_id,
                    count=page.limit + page.offset + SLACK * MAX_BATCHES,
                    oldest=page.min_id is not None)
    held = await feeds.lookup(viewer_id, window)
    if held.written is None:
        # A feed read first is loaded on its own, so that its merged authors' lists come
        # from the store where it holds them already (most are shared by many feeds).
        sources = await uows.read_at_once(
            lambda uow: _home_sources(uow, viewer_id, feeds.feed_size))
        await feeds.keep_home(viewer_id, sources, held.home_load)
        held = await feeds.lookup(viewer_id, window)
    loaded = _Loaded()

    async def read_page(uow: UnitOfWork) -> T:
        lists = await _sources(uow, held, loaded, viewer_id=viewer_id, window=window,
                               feed_size=feeds.feed_size)
        ids, state = await _page(uow, _merged(lists, window), viewer_id=viewer_id, page=page)
        return await present(uow, ids, state)

    result = await uows.read_at_once(read_page)
    if loaded.home is not None:
        await feeds.keep_home(viewer_id, loaded.home, held.home_load)
    for author_id, ids in loaded.authors.items():
        await feeds.keep_author(author_id, ids, held.author_loads[author_id])
    return result


@dataclass(slots=True)
class _Loaded:
    """What a read loaded that the store did not hold, to keep once the read is done."""

    home: HomeSources | None = None
    authors: dict[int, list[int]] = field(default_factory=dict)


async def _sources(uow: UnitOfWork, held: FeedLookup, loaded: _Loaded, *, viewer_id: int,
                   window: Window, feed_size: int) -> list[list[int]]:
    """The feed's ids in the window, oldest first: written ids and one list per merged
    author. A home loaded here brings its authors' lists from the database too; they are kept
    the next time (the store hands out the tokens for them only once it knows the authors)."""
    if held.written is None:  # changed while it was loaded: read it all once more
        loaded.home = await _home_sources(uow, viewer_id, feed_size)
        lists = [window.of(loaded.home.written)]
        for author_id in loaded.home.merged_authors:
            lists.append(window.of(await uow.home_feed.merged_ids(author_id, feed_size)))
        return lists
    lists = [held.written]
    for author_id in held.merged_authors:
        ids = held.authors.get(author_id)
        if ids is None:
            every = loaded.authors[author_id] = await uow.home_feed.merged_ids(author_id,
                                                                                feed_size)
            ids = window.of(every)
        lists.append(ids)
    return lists


async def _home_sources(uow: UnitOfWork, viewer_id: int, feed_size: int) -> HomeSources:
    return HomeSources(await uow.home_feed.written_ids(viewer_id, feed_size),
                       tuple(await uow.home_feed.merged_author_ids(viewer_id)))


async def _page(uow: UnitOfWork, candidates: Iterator[int], *, viewer_id: int, page: Page
                ) -> tuple[list[int], PageState]:
    wanted = page.limit + page.offset
    chosen: list[int] = []
    state = EMPTY
    for _ in range(MAX_BATCHES):
        batch = list(itertools.islice(candidates, wanted - len(chosen) + SLACK))
        if not batch:
            break
        found = await uow.pages.state(batch, viewer_id, for_home=True)
        state = state.merged(found)
        chosen.extend(status_id for status_id in batch if status_id in found.found)
        if len(chosen) >= wanted:
            break
    chosen = chosen[page.offset:wanted]
    if page.min_id is not None:
        chosen.reverse()
    return chosen, state


def _merged(lists: list[list[int]], window: Window) -> Iterator[int]:
    """The ids of all lists, each once: newest first, or oldest first from `min_id` (the
    page is turned round at the end)."""
    if window.oldest:
        merged = heapq.merge(*lists)
    else:
        merged = heapq.merge(*(reversed(ids) for ids in lists), reverse=True)
    previous = None
    for status_id in merged:
        if status_id != previous:
            yield status_id
        previous = status_id
