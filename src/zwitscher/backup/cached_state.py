"""What Redis holds for an instance, dropped after a restore.

Redis holds nothing a backup needs: rendered statuses and accounts (`caches.SharedCache`,
keyed by id and version), home feed ids (`timelines.redis_feeds`, a cache of the `home_feed`
table), pub/sub and rate-limit counters. All of it is rebuilt from the database. But a restored
instance has its original's VAPID key, so the same name on Redis (`services.name_instance`),
and what Redis still holds from before the restore is wrong for it: feeds without the posts
that were deleted after the backup, renders of versions that the restored statuses will reach
again with other contents. So the restore drops the instance's keys.
"""

from __future__ import annotations

import asyncio

import redis
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from zwitscher.db.repos.push import ServerKeysRepo
from zwitscher.services.ensure_vapid_key import VAPID_KEY
from zwitscher.services.name_instance import namespace_of
from zwitscher.settings import Settings

_BATCH = 1000


def forget_cached_state(settings: Settings) -> str | None:
    """Drop the restored instance's keys in ZWITSCHER_REDIS_URL's Redis; what was done, for
    the operator (None without Redis)."""
    if not settings.redis_url:
        return None
    public_key = asyncio.run(_public_key(settings))
    if not public_key:
        return None
    pattern = f"{namespace_of(public_key)}:*"
    try:
        dropped = _delete_matching(settings.redis_url, pattern)
    except redis.RedisError as exc:
        return (f"Could not drop what Redis holds for this instance ({exc}). Before starting "
                f"it, delete the keys {pattern} (redis-cli --scan --pattern '{pattern}' | "
                "xargs -r redis-cli del).")
    return f"Dropped {dropped} keys that Redis held for this instance ({pattern})."


async def _public_key(settings: Settings) -> str:
    engine = create_async_engine(settings.effective_database_url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            return await ServerKeysRepo(conn).public_key(VAPID_KEY)
    except SQLAlchemyError:
        return ""  # a backup older than the key: the instance makes one, and a new name
    finally:
        await engine.dispose()


def _delete_matching(url: str, pattern: str) -> int:
    client = redis.Redis.from_url(url)
    try:
        dropped, batch = 0, []
        for key in client.scan_iter(match=pattern, count=_BATCH):
            batch.append(key)
            if len(batch) == _BATCH:
                dropped += client.delete(*batch)
                batch.clear()
        if batch:
            dropped += client.delete(*batch)
        return dropped
    finally:
        client.close()
