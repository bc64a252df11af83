"""A page of someone's home timeline: which statuses, newest first, and what the page
statement found out about them (so presenting them asks nothing more of the database).

With the feed id cache (`feed_cache`, the embedded default) the candidates come from memory:
the feed's written ids and each merged author's recent ids, merged here newest first; the
page statement keeps those the viewer's home may show, in batches until the page is full.
Without it (several processes), one statement reads the page (`HomeFeedRepo.timeline`).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator

from zwitscher.db.pagination import Page
from zwitscher.db.repos.pages import EMPTY, PageState
from zwitscher.db.uow import UnitOfWork
from zwitscher.timelines.feed_cache import FeedStore, HomeSources, Window

# Candidates checked per statement beyond the page's length: most feeds hide few entries.
SLACK = 5
# Statements a page may take before it is served short (a feed of hidden entries).
MAX_BATCHES = 4


async def read_home(uow: UnitOfWork, feeds: FeedStore | None, *, viewer_id: int,
                    page: Page) -> tuple[list[int], PageState]:
    if feeds is None:
        ids = [row.id for row in await uow.home_feed.timeline(viewer_id, page)]
        return ids, await uow.pages.state(ids, viewer_id)
    wanted = page.limit + page.offset
    window = Window(low=max(page.since_id or 0, page.min_id or 0), high=page.max_id,
                    count=wanted + SLACK * MAX_BATCHES, oldest=page.min_id is not None)
    candidates = _merged(await _sources(uow, feeds, viewer_id, window), window)
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


async def _sources(uow: UnitOfWork, feeds: FeedStore, viewer_id: int, window: Window
                   ) -> list[list[int]]:
    """The feed's ids in the window, oldest first: written ids and one list per merged
    author (loaded from the database the first time)."""
    found = feeds.home(viewer_id, window)
    if found is None:
        loading = feeds.start_loading(("home", viewer_id))
        home = HomeSources(await uow.home_feed.written_ids(viewer_id, feeds.feed_size),
                           tuple(await uow.home_feed.merged_author_ids(viewer_id)))
        feeds.keep_home(viewer_id, home, loading)
        found = window.of(home.written), home.merged_authors
    written, merged_authors = found
    lists = [written]
    for author_id in merged_authors:
        ids = feeds.author(author_id, window)
        if ids is None:
            loading = feeds.start_loading(("author", author_id))
            every = await uow.home_feed.merged_ids(author_id, feeds.feed_size)
            feeds.keep_author(author_id, every, loading)
            ids = window.of(every)
        lists.append(ids)
    return lists


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
