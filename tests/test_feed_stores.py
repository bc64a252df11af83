"""The two feed id stores keep the same promises: a feed is served from the store only while
it holds every delivery, a delivery that lands while a feed is being loaded is never lost,
and pages are cut exactly at the ids asked for (ids are 64-bit: Redis keeps them as text).

The in-memory store always; the Redis store when the suite runs on PostgreSQL + Redis.
"""

from __future__ import annotations

import asyncio
import secrets

import pytest

from zwitscher.domain.feed_changes import Delivered, Posted, SourcesChanged
from zwitscher.timelines.feed_cache import HomeSources, MemoryFeedStore, Window
from zwitscher.timelines.redis_feeds import RedisFeedStore

from conftest import TEST_REDIS_URL

STORES = ["memory", "redis"] if TEST_REDIS_URL else ["memory"]
BASE = 117_732_235_537_835_131  # an id as the server makes them


def run(store_kind: str, scenario) -> None:
    async def main() -> None:
        if store_kind == "memory":
            await scenario(MemoryFeedStore(max_feeds=100, feed_size=5))
            return
        store = RedisFeedStore(TEST_REDIS_URL, namespace=f"test-{secrets.token_hex(4)}",
                               feed_size=5, seconds=60)
        try:
            await scenario(store)
        finally:
            await store.close()

    asyncio.run(main())


NEWEST = Window(low=0, high=None, count=20)


def complete(lookup) -> bool:
    """The store holds the feed and each of its merged authors' lists: nothing to load."""
    return lookup.written is not None and not lookup.author_loads


def candidates(lookup) -> list[int]:
    """What a page chooses from: the written ids and the held authors' (a store may have
    merged those into one list already)."""
    return sorted({*lookup.written, *(i for ids in lookup.authors.values() for i in ids)})


@pytest.mark.parametrize("store_kind", STORES)
def test_a_loaded_feed_is_served_and_takes_deliveries_up_to_its_size(store_kind):
    async def scenario(store) -> None:
        first = await store.lookup(1, NEWEST)
        assert first.written is None
        await store.keep_home(1, HomeSources([BASE, BASE + 1], ()), first.home_load)
        held = await store.lookup(1, NEWEST)
        assert complete(held) and held.written == [BASE, BASE + 1]
        for offset in range(2, 7):
            await store.apply([Delivered(BASE + offset, (1, 2))])
        assert (await store.lookup(1, NEWEST)).written == [BASE + n for n in range(2, 7)]
        # Person 2's feed was never loaded: deliveries do not make a partial one.
        assert (await store.lookup(2, NEWEST)).written is None

    run(store_kind, scenario)


@pytest.mark.parametrize("store_kind", STORES)
def test_a_delivery_during_a_load_is_not_lost(store_kind):
    async def scenario(store) -> None:
        loading = await store.lookup(1, NEWEST)
        # The load read the database before this delivery committed...
        await store.apply([Delivered(BASE + 9, (1,))])
        await store.keep_home(1, HomeSources([BASE], ()), loading.home_load)
        # ...so it is not kept: the next read loads again, delivery included.
        again = await store.lookup(1, NEWEST)
        assert again.written is None
        await store.keep_home(1, HomeSources([BASE, BASE + 9], ()), again.home_load)
        assert (await store.lookup(1, NEWEST)).written == [BASE, BASE + 9]

    run(store_kind, scenario)


@pytest.mark.parametrize("store_kind", STORES)
def test_merged_authors_are_held_once_loaded_and_take_new_posts(store_kind):
    async def scenario(store) -> None:
        loading = await store.lookup(1, NEWEST)
        await store.keep_home(1, HomeSources([BASE], (7,)), loading.home_load)
        held = await store.lookup(1, NEWEST)
        assert not complete(held) and set(held.author_loads) == {7}
        await store.keep_author(7, [BASE + 1], held.author_loads[7])
        await store.apply([Posted(7, BASE + 2)])
        everything = await store.lookup(1, NEWEST)
        assert complete(everything) and candidates(everything) == [BASE, BASE + 1, BASE + 2]

    run(store_kind, scenario)


@pytest.mark.parametrize("store_kind", STORES)
def test_readers_who_miss_an_author_at_once_share_its_load_and_the_first_keeps_it(store_kind):
    """A popular author is missed by many readers at once: a later reader must not void the
    loads before it, or under load the author's list is never kept."""
    async def scenario(store) -> None:
        for person in (1, 2):
            loading = await store.lookup(person, NEWEST)
            await store.keep_home(person, HomeSources([BASE + person], (7,)), loading.home_load)
        first, second = await store.lookup(1, NEWEST), await store.lookup(2, NEWEST)
        await store.keep_author(7, [BASE + 3], first.author_loads[7])
        held = await store.lookup(2, NEWEST)
        assert complete(held) and candidates(held) == [BASE + 2, BASE + 3]
        await store.keep_author(7, [BASE + 3], second.author_loads[7])  # kept already
        # A post during a shared load voids it for every reader that shares it.
        await store.apply([SourcesChanged(None)])
        for person in (1, 2):
            loading = await store.lookup(person, NEWEST)
            await store.keep_home(person, HomeSources([BASE + person], (8,)), loading.home_load)
        first, second = await store.lookup(1, NEWEST), await store.lookup(2, NEWEST)
        await store.apply([Posted(8, BASE + 5)])
        await store.keep_author(8, [BASE + 4], second.author_loads[8])
        await store.keep_author(8, [BASE + 4], first.author_loads[8])
        assert not complete(await store.lookup(1, NEWEST))

    run(store_kind, scenario)


@pytest.mark.parametrize("store_kind", STORES)
def test_a_changed_feed_and_everybodys_feeds_are_dropped(store_kind):
    async def scenario(store) -> None:
        for person in (1, 2):
            loading = await store.lookup(person, NEWEST)
            await store.keep_home(person, HomeSources([BASE], ()), loading.home_load)
        await store.apply([SourcesChanged(1)])
        assert (await store.lookup(1, NEWEST)).written is None
        assert (await store.lookup(2, NEWEST)).written == [BASE]
        await store.apply([SourcesChanged(None)])
        assert (await store.lookup(2, NEWEST)).written is None

    run(store_kind, scenario)


@pytest.mark.parametrize("store_kind", STORES)
def test_pages_are_cut_exactly_at_the_ids_asked_for(store_kind):
    async def scenario(store) -> None:
        ids = [BASE + n for n in range(5)]
        loading = await store.lookup(1, NEWEST)
        await store.keep_home(1, HomeSources(ids, ()), loading.home_load)
        older = await store.lookup(1, Window(low=0, high=ids[3], count=2))
        assert older.written == ids[1:3]
        newer = await store.lookup(1, Window(low=ids[1], high=None, count=2, oldest=True))
        assert newer.written == ids[2:4]

    run(store_kind, scenario)


@pytest.mark.parametrize("store_kind", STORES)
def test_a_page_merges_the_feed_and_its_authors_newest_or_oldest_first(store_kind):
    async def scenario(store) -> None:
        loading = await store.lookup(1, NEWEST)
        await store.keep_home(1, HomeSources([BASE, BASE + 3], (7, 8)), loading.home_load)
        loads = (await store.lookup(1, NEWEST)).author_loads
        await store.keep_author(7, [BASE + 1, BASE + 4], loads[7])
        await store.keep_author(8, [BASE + 2, BASE + 3], loads[8])  # BASE + 3 twice
        newest = await store.lookup(1, Window(low=0, high=BASE + 4, count=2))
        assert candidates(newest)[-2:] == [BASE + 2, BASE + 3]
        oldest = await store.lookup(1, Window(low=BASE, high=None, count=2, oldest=True))
        assert candidates(oldest)[:2] == [BASE + 1, BASE + 2]

    run(store_kind, scenario)
