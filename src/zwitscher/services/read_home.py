"""A page of someone's home timeline: which statuses, newest first, and what the page
statement found out about them (so presenting them asks nothing more of the database).

With the feed id cache (`feed_cache`, the embedded default) the candidates come from memory:
the feed's written ids and each merged author's recent ids, merged here newest first; the
page statement keeps those the viewer's home may show, in batches until the page is full.
Without it (several processes), one statement reads the page (`HomeFeedRepo.timeline`).
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections.abc import Iterator

from zwitscher.db.pagination import Page
from zwitscher.db.repos.pages import EMPTY, PageState
from zwitscher.db.uow import UnitOfWork
from zwitscher.timelines.feed_cache import FeedStore, HomeSources

# Candidates checked per statement beyond the page's length: most feeds hide few entries.
SLACK = 10
# Statements a page may take before it is served short (a feed of hidden entries).
MAX_BATCHES = 4


async def read_home(uow: UnitOfWork, feeds: FeedStore | None, *, viewer_id: int,
                    page: Page) -> tuple[list[int], PageState]:
    if feeds is None:
        ids = [row.id for row in await uow.home_feed.timeline(viewer_id, page)]
        return ids, await uow.pages.state(ids, viewer_id)
    candidates = _window(await _sources(uow, feeds, viewer_id), page)
    chosen: list[int] = []
    state = EMPTY
    wanted = page.limit + page.offset
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


async def _sources(uow: UnitOfWork, feeds: FeedStore, viewer_id: int) -> list[list[int]]:
    """The feed's id lists, oldest first: written ids and one per merged author."""
    home = feeds.home(viewer_id)
    if home is None:
        loading = feeds.start_loading(("home", viewer_id))
        home = HomeSources(await uow.home_feed.written_ids(viewer_id, feeds.feed_size),
                           tuple(await uow.home_feed.merged_author_ids(viewer_id)))
        feeds.keep_home(viewer_id, home, loading)
    lists = [home.written]
    for author_id in home.merged_authors:
        ids = feeds.author(author_id)
        if ids is None:
            loading = feeds.start_loading(("author", author_id))
            ids = await uow.home_feed.merged_ids(author_id, feeds.feed_size)
            feeds.keep_author(author_id, ids, loading)
        lists.append(ids)
    return lists


def _window(lists: list[list[int]], page: Page) -> Iterator[int]:
    """The ids in the page's bounds, each once: newest first, or oldest first from `min_id`
    (the page is turned round at the end)."""
    low = max(page.since_id or 0, page.min_id or 0)
    high = page.max_id
    parts = []
    for ids in lists:
        start = bisect.bisect_right(ids, low)
        end = bisect.bisect_left(ids, high) if high is not None else len(ids)
        parts.append(ids[start:end])
    if page.min_id is not None:
        merged = heapq.merge(*parts)
    else:
        merged = heapq.merge(*(reversed(part) for part in parts), reverse=True)
    previous = None
    for status_id in merged:
        if status_id != previous:
            yield status_id
        previous = status_id
