"""Claims jobs and runs them: in-process on the embedded default, in `zwitscher worker` at scale.

A job's body and the deletion of its row commit together. A failure rolls the body back and
schedules a retry with backoff; a worker killed mid-job leaves a lease that runs out, after
which another worker claims the job again. Nothing is lost and nothing runs twice to completion.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from datetime import timedelta

from zwitscher.db.uow import UnitsOfWork
from zwitscher.jobs.handlers import HANDLERS

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
BATCH = 20


class JobRunner:
    def __init__(self, uows: UnitsOfWork, *, poll_interval: float = 1.0) -> None:
        self.uows = uows
        self.poll_interval = poll_interval
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="zwitscher-jobs")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    async def _loop(self) -> None:
        while True:
            try:
                worked = await self.run_once()
            except Exception:
                log.exception("job runner iteration failed")
                worked = 0
            if worked:
                continue
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), self.poll_interval)
            except TimeoutError:
                pass

    async def run_once(self) -> int:
        async with self.uows.write() as uow:
            claimed = await uow.jobs.claim(limit=BATCH, lease=LEASE)
        for job in claimed:
            await self._run(job)
        return len(claimed)

    async def _run(self, job) -> None:
        handler = HANDLERS.get(job.kind)
        try:
            async with self.uows.write() as uow:
                if handler is None:
                    raise LookupError(f"no handler for job kind {job.kind!r}")
                await handler(uow, job.payload)
                await uow.jobs.complete(job.id)
        except Exception:
            log.exception("job %s (%s) failed", job.id, job.kind)
            async with self.uows.write() as uow:
                await uow.jobs.fail(job, traceback.format_exc(limit=5))

    async def drain(self) -> None:
        """Run until no job is due (used by the CLI and at shutdown)."""
        while await self.run_once():
            pass
