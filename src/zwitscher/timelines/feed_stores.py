"""Which feed id store a process uses (see `feed_cache`)."""

from __future__ import annotations

from zwitscher.settings import Settings
from zwitscher.timelines.feed_cache import FeedStore, MemoryFeedStore
from zwitscher.timelines.redis_feeds import RedisFeedStore


def create_feed_store(settings: Settings, *, namespace: str) -> FeedStore | None:
    """Redis when scaled out; in memory when this process runs every job (the fan-out must
    reach it); otherwise none, and home timelines are read by one statement each."""
    if settings.redis_url is not None:
        return RedisFeedStore(settings.redis_url, namespace=namespace,
                              feed_size=settings.home_feed_size,
                              seconds=settings.home_feed_cache_seconds)
    if settings.run_jobs_in_process:
        return MemoryFeedStore(max_feeds=settings.home_feed_cache_size,
                               feed_size=settings.home_feed_size)
    return None


async def close_feed_store(feeds: FeedStore | None) -> None:
    if isinstance(feeds, RedisFeedStore):
        await feeds.close()
