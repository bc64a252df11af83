"""Live deliveries: how many open streams each new post was sent to, gathered per process.

A stream connection hands a post to its reader in the process that holds the connection, after
the post's transaction, so there is no transaction to count it in. Each process therefore adds
up what its connections sent and writes the sums every `analytics_live_flush_seconds` (one
write for all posts of the interval, not one per connection and post), and once more when it
stops. A process that dies loses the counts of its last interval: the number is a slight
undercount, never a double count (docs/analytics.md, "Live deliveries").
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter

from zwitscher.db.uow import UnitsOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.services.record_analytics import count_live_deliveries

log = logging.getLogger(__name__)


class LiveDeliveries:
    def __init__(self, uows: UnitsOfWork, *, every: float) -> None:
        self.uows = uows
        self.every = every
        self._sent: Counter[int] = Counter()
        self._task: asyncio.Task | None = None

    def note(self, status_id: int) -> None:
        """One connection was sent the new post `status_id`."""
        self._sent[status_id] += 1

    async def flush(self) -> None:
        sent, self._sent = self._sent, Counter()
        if not sent:
            return
        try:
            async with self.uows.write() as uow:
                await count_live_deliveries(uow, sent, at=utcnow())
        except Exception:  # counting must never stop the streams
            log.exception("could not write %d live deliveries", sum(sent.values()))

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="live-deliveries")

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            await self.flush()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.flush()
