"""Pub/sub: in-process for the embedded default, Redis when several processes share the work.

Both deliver into local `Subscription` queues. The Redis broker holds one Redis subscription
per process and fans messages out to its local subscribers, so thousands of open streams cost
one Redis connection, not thousands.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict

import orjson
import redis.asyncio as redis_asyncio

from zwitscher import caches
from zwitscher.caches import ReadCaches

log = logging.getLogger(__name__)

QUEUE_LIMIT = 1000
PIPELINE_BATCH = 1000
BROKER_CHANNEL = "zwitscher:broker"  # subscribed at start, so the connection exists early


class Subscription:
    """A connection's view of the broker: the channels it listens to and a queue of messages."""

    def __init__(self, broker: LocalFanout) -> None:
        self._broker = broker
        self.channels: set[str] = set()
        self.queue: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue(QUEUE_LIMIT)

    async def add(self, channel: str) -> None:
        if channel not in self.channels:
            self.channels.add(channel)
            await self._broker.attach(channel, self)

    async def remove(self, channel: str) -> None:
        if channel in self.channels:
            self.channels.discard(channel)
            await self._broker.detach(channel, self)

    async def close(self) -> None:
        for channel in list(self.channels):
            await self.remove(channel)

    def deliver(self, channel: str, message: bytes) -> None:
        try:
            self.queue.put_nowait((channel, message))
        except asyncio.QueueFull:
            # A client that does not read loses old events rather than the server's memory.
            log.warning("stream queue full; dropping an event on %s", channel)


class LocalFanout:
    """Delivers messages to this process's subscriptions by channel."""

    def __init__(self) -> None:
        self._subscribers: dict[str, set[Subscription]] = defaultdict(set)

    def subscription(self) -> Subscription:
        return Subscription(self)

    async def attach(self, channel: str, subscription: Subscription) -> None:
        self._subscribers[channel].add(subscription)

    async def detach(self, channel: str, subscription: Subscription) -> None:
        subscribers = self._subscribers.get(channel)
        if subscribers is not None:
            subscribers.discard(subscription)
            if not subscribers:
                del self._subscribers[channel]

    def dispatch(self, channel: str, message: bytes) -> None:
        for subscription in list(self._subscribers.get(channel, ())):
            subscription.deliver(channel, message)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


class MemoryBroker(LocalFanout):
    async def publish(self, messages: list[tuple[str, bytes]]) -> None:
        for channel, message in messages:
            self.dispatch(channel, message)


class RedisBroker(LocalFanout):
    """Channels on Redis carry the instance's name (`services/name_instance.py`): instances
    sharing a Redis server never hear each other."""

    def __init__(self, url: str, *, namespace: str) -> None:
        super().__init__()
        self._prefix = f"{namespace}:"
        self._redis = redis_asyncio.from_url(url)
        self._pubsub = self._redis.pubsub()
        self._reader: asyncio.Task | None = None
        # redis-py's PubSub opens its connection on the first command; two first commands at
        # once open two, and channels subscribed on the orphaned one are never heard. Every
        # command goes through this lock, and `start` opens the connection before any stream.
        self._commands = asyncio.Lock()

    async def publish(self, messages: list[tuple[str, bytes]]) -> None:
        """Pipelined: a post to 10,000 followers is 10,000 messages, and one round trip each
        would take seconds."""
        for start in range(0, len(messages), PIPELINE_BATCH):
            async with self._redis.pipeline(transaction=False) as pipe:
                for channel, message in messages[start:start + PIPELINE_BATCH]:
                    pipe.publish(self._prefix + channel, message)
                await pipe.execute()

    async def attach(self, channel: str, subscription: Subscription) -> None:
        first = channel not in self._subscribers
        await super().attach(channel, subscription)
        if first:
            async with self._commands:
                await self._pubsub.subscribe(self._prefix + channel)

    async def detach(self, channel: str, subscription: Subscription) -> None:
        await super().detach(channel, subscription)
        if channel not in self._subscribers:
            async with self._commands:
                await self._pubsub.unsubscribe(self._prefix + channel)

    async def start(self) -> None:
        async with self._commands:
            await self._pubsub.subscribe(self._prefix + BROKER_CHANNEL)
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        while True:
            try:
                message = await self._pubsub.get_message(ignore_subscribe_messages=True,
                                                         timeout=1.0)
            except Exception:  # connection trouble: wait, Redis pub/sub reconnects
                log.exception("redis pub/sub read failed")
                await asyncio.sleep(0.5)
                continue
            if message and message.get("type") == "message":
                channel = message["channel"]
                if isinstance(channel, bytes):
                    channel = channel.decode()
                self.dispatch(channel.removeprefix(self._prefix), message["data"])

    async def stop(self) -> None:
        if self._reader:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        await self._pubsub.aclose()
        await self._redis.aclose()


async def watch_stale_caches(broker: LocalFanout, read_caches: ReadCaches) -> asyncio.Task:
    """Drop the caches other processes' units of work made stale (`zwitscher.caches`); the
    process that committed has dropped its own already."""
    subscription = broker.subscription()
    await subscription.add(caches.CHANNEL)

    async def watch() -> None:
        try:
            while True:
                _, message = await subscription.queue.get()
                read_caches.forget(orjson.loads(message))
        finally:
            await subscription.close()

    return asyncio.create_task(watch(), name="zwitscher-stale-caches")


async def publish_before_the_broker(messages: list[tuple[str, bytes]]) -> None:
    """The publisher of units of work opened before the broker (to name the instance, which
    publishes nothing): anything published there would be lost, so it fails loudly."""
    raise RuntimeError("nothing may be published before the broker has started")


def create_broker(redis_url: str | None, *, namespace: str) -> LocalFanout:
    return RedisBroker(redis_url, namespace=namespace) if redis_url else MemoryBroker()
