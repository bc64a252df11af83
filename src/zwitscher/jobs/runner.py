"""Claims jobs and runs them: in-process on the embedded default, in `zwitscher worker` at scale.

A job's body and the deletion of its row commit together. A failure rolls the body back and
schedules a retry with backoff; a worker killed mid-job leaves a lease that runs out, after
which another worker claims the job again. Nothing is lost and nothing runs twice to completion:
a worker that outlived its lease finds the job claimed again when it tries to complete it, and
rolls its work back. A stopping worker finishes the job at hand and hands back the rest.

Deliveries (jobs that call other servers, such as Web Push) are the exception: they send
outside any transaction, then complete, and run beside the other jobs, in DELIVERY_CONCURRENCY
slots. They happen at least once: a worker that dies between sending and completing sends
again. A live worker renews the leases of the deliveries it runs, so a slow one is not claimed
and sent again meanwhile. A slow kind takes no more slots than its share
(`Job.DELIVERY_SLOTS`): what is over it stays queued, unclaimed (a job claimed to wait for a
slot could outlive its lease), until one of its kind is done.

The runner knows no job kind itself: it is given a handler per job class (`jobs/handlers.py`
builds them), decodes each claimed row into its class (`domain/jobs.py: decode_job`) and calls
the handler with that value. Handlers of the classes in `at_once` (and the runner's own
claims) run as one step (`UnitsOfWork.write_at_once`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import traceback
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from collections.abc import Set as AbstractSet
from datetime import timedelta
from typing import Any

from zwitscher.db.engine import SuspendedRead
from zwitscher.db.uow import UnitOfWork, UnitsOfWork
from zwitscher.domain.errors import TemporaryFailure
from zwitscher.domain.jobs import (
    ApplyRetention,
    CheckMonitorSpikes,
    CleanUnattachedMedia,
    Job,
    RollUpAnalytics,
    ScoreActiveAccounts,
    TrimHomeFeeds,
    TrimMonitorTerms,
    decode_job,
    kinds_of,
)
from zwitscher.services.apply_retention import schedule_retention
from zwitscher.services.check_monitor_spikes import schedule_spike_checks
from zwitscher.services.clean_unattached_media import schedule_media_cleaning
from zwitscher.services.roll_up_analytics import schedule_analytics_roll_up
from zwitscher.services.score_active_accounts import schedule_quality_scoring
from zwitscher.services.trim_home_feeds import schedule_home_feed_trimming
from zwitscher.services.trim_monitor_terms import schedule_monitor_term_trimming

log = logging.getLogger(__name__)

BATCH = 20
# Deliveries (jobs that wait on other servers) in flight at once: they run beside the other
# jobs, so a slow push service delays no fan-out. The shares of the slow kinds together leave
# some of them to the rest.
DELIVERY_CONCURRENCY = 10


# Housekeeping that re-enqueues itself: always in the queue, never work anything caused
# (kind names, as stored: the bench leaves these out when it waits for the queue to drain).
RECURRING_JOBS = tuple(job.KIND for job in (TrimHomeFeeds, CleanUnattachedMedia,
                                            ScoreActiveAccounts, ApplyRetention,
                                            RollUpAnalytics, CheckMonitorSpikes,
                                            TrimMonitorTerms))

# A handler runs in the unit of work that completes its job; a delivery opens its own.
Handler = Callable[[UnitOfWork, Any], Awaitable[None]]
Delivery = Callable[[UnitsOfWork, Any], Awaitable[None]]
Handlers = Mapping[type[Job], Handler]
Deliveries = Mapping[type[Job], Delivery]


class _LeaseLost(Exception):
    """Another worker claimed the job while this one ran it (our lease had run out)."""


class JobRunner:
    def __init__(self, uows: UnitsOfWork, *, handlers: Handlers,
                 deliveries: Deliveries | None = None, at_once: AbstractSet[type[Job]] = (),
                 poll_interval: float = 1.0) -> None:
        self.uows = uows
        self.handlers = handlers
        self.deliveries = deliveries or {}
        self.at_once = frozenset(at_once)
        self._kinds = kinds_of([*self.handlers, *self.deliveries])
        # Claimed in this order: deliveries people wait for (e-mail, push) first, then each
        # slow kind up to its share.
        self._quick = [cls.KIND for cls in self.deliveries if cls.DELIVERY_SLOTS is None]
        self._slow = {cls.KIND: cls.DELIVERY_SLOTS for cls in self.deliveries
                      if cls.DELIVERY_SLOTS is not None}
        if sum(self._slow.values()) >= DELIVERY_CONCURRENCY:
            raise ValueError("the slow deliveries' shares must leave slots to the others")
        self.poll_interval = poll_interval
        self.lease = timedelta(seconds=uows.settings.job_lease_seconds)
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._stopping = False
        self._deliveries: set[asyncio.Task] = set()
        # Deliveries in flight by kind (never more than DELIVERY_CONCURRENCY together, nor more
        # of a slow kind than its share: only as many are claimed).
        self._delivering: Counter[str] = Counter()
        # Deliveries under way: job id -> the claim they run under (its attempts). Their leases
        # are renewed while they run, or a delivery slower than its lease (a push service slow
        # to answer, a busy machine) would be claimed again and sent twice by a live worker.
        self._under_way: dict[int, int] = {}

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="zwitscher-jobs")

    async def stop(self, *, grace: float = 10.0) -> None:
        """Let the job at hand finish (for up to `grace` seconds), then stop. A job cut short
        is claimed again by another worker once its lease runs out."""
        if self._task is None:
            return
        self._stopping = True
        self._wake.set()
        done, _ = await asyncio.wait({self._task}, timeout=grace)
        if not done:
            self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _loop(self) -> None:
        try:
            async with self.uows.write() as uow:
                await schedule_home_feed_trimming(uow)
                await schedule_quality_scoring(uow)
                await schedule_media_cleaning(uow)
                await schedule_retention(uow)
                await schedule_analytics_roll_up(uow)
                await schedule_spike_checks(uow)
                await schedule_monitor_term_trimming(uow)
        except Exception:
            log.exception("could not schedule the recurring jobs")
        renewing = asyncio.create_task(self._renew_leases(), name="zwitscher-job-leases")
        try:
            await self._work()
        finally:
            renewing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewing

    async def _work(self) -> None:
        while not self._stopping:
            # Cleared before the claim: a job queued or a slot freed meanwhile wakes the next.
            self._wake.clear()
            try:
                worked = await self.run_once()
            except Exception:
                log.exception("job runner iteration failed")
                worked = 0
            if worked:
                continue
            if self._stopping:
                break
            try:
                await asyncio.wait_for(self._wake.wait(), self.poll_interval)
            except TimeoutError:
                pass
        await self._settle()

    async def _renew_leases(self) -> None:
        while True:
            await asyncio.sleep(self.lease.total_seconds() / 3)
            if not self._under_way:
                continue
            try:
                async with self.uows.write() as uow:
                    await uow.jobs.extend(dict(self._under_way), lease=self.lease)
            except Exception:
                log.exception("could not renew the leases of the deliveries under way")

    async def run_once(self) -> int:
        delivery_kinds = [cls.KIND for cls in self.deliveries]
        delivering = self._delivering.copy()  # the claim runs on SQLite's writer thread

        async def claim(uow: UnitOfWork) -> list:
            claimed = await uow.jobs.claim(limit=BATCH, lease=self.lease,
                                           kinds=delivery_kinds, other_kinds=True)
            return claimed + await self._claim_deliveries(uow, delivering)

        claimed = await self.uows.write_at_once(claim)
        together = [job for job in claimed if self._kinds.get(job.kind) in self.at_once]
        if together and not self._stopping:
            await self._run_together(together)
            claimed = [job for job in claimed if job not in together]
        for index, job in enumerate(claimed):
            if self._stopping:
                # Others need not wait for our leases to run out for jobs we never started.
                async with self.uows.write() as uow:
                    await uow.jobs.release(claimed[index:])
                break
            if self._kinds.get(job.kind) in self.deliveries:
                self._delivering[job.kind] += 1
                self._under_way[job.id] = job.attempts
                task = asyncio.create_task(self._deliver(job))
                self._deliveries.add(task)
                task.add_done_callback(self._deliveries.discard)
            else:
                await self._run(job)
        return len(claimed) + len(together)

    async def _claim_deliveries(self, uow: UnitOfWork, delivering: Counter[str]) -> list:
        """Deliveries only as far as there are free slots for them: a burst of e-mails (a
        directory import's welcomes) waits its turn without holding up fan-outs, and a slow
        kind's jobs beyond its share wait queued."""
        free = DELIVERY_CONCURRENCY - delivering.total()
        claimed = []
        if self._quick and free > 0:
            claimed = await uow.jobs.claim(limit=free, lease=self.lease, kinds=self._quick)
        for kind, share in self._slow.items():
            room = min(free - len(claimed), share - delivering[kind])
            if room > 0:
                claimed += await uow.jobs.claim(limit=room, lease=self.lease, kinds=[kind])
        return claimed

    async def _run_together(self, claimed: list) -> None:
        """Jobs whose handlers await only the database: all in one transaction and one step
        (a fan-out then costs one turn at SQLite's writer for the batch, not one each), each
        in a savepoint, so one that fails rolls back alone."""

        async def run_all(uow: UnitOfWork) -> None:
            for job in claimed:
                try:
                    async with uow.savepoint():
                        await self._complete(uow, job, decode_job(self._kinds, job.kind,
                                                                  job.payload))
                except SuspendedRead:
                    raise
                except Exception as exc:
                    if (error := self._failure(job, exc)) is not None:
                        await uow.jobs.fail(job, error)

        try:
            await self.uows.write_at_once(run_all)
        except SuspendedRead:
            # Rolled back: a handler listed wrongly. The jobs still get done, the slow way.
            log.exception("a job listed to run at once awaited more than the database")
            for job in claimed:
                await self._run(job)

    async def _deliver(self, job) -> None:
        try:
            await self._run(job)
        finally:
            self._delivering[job.kind] -= 1
            self._under_way.pop(job.id, None)
            # A slot is free: the next delivery need not wait for the next poll.
            self._wake.set()

    async def _settle(self) -> None:
        """Wait for the deliveries in flight."""
        if self._deliveries:
            await asyncio.gather(*self._deliveries, return_exceptions=True)

    async def _run(self, job) -> None:
        """A job in a transaction of its own (a delivery: after it has delivered)."""
        try:
            value = decode_job(self._kinds, job.kind, job.payload)
            delivery = self.deliveries.get(type(value))
            if delivery is not None:
                # Done before the job completes, outside its transaction: a worker that dies
                # in between delivers again (at least once, never lost).
                await delivery(self.uows, value)
            async with self.uows.write() as uow:
                await self._complete(uow, job, value, run_handler=delivery is None)
        except Exception as exc:
            if (error := self._failure(job, exc)) is not None:
                async with self.uows.write() as uow:
                    await uow.jobs.fail(job, error)

    async def _complete(self, uow: UnitOfWork, job, value: Job, *,
                        run_handler: bool = True) -> None:
        if run_handler:
            await self.handlers[type(value)](uow, value)
        if not await uow.jobs.complete(job.id, attempts=job.attempts):
            raise _LeaseLost

    @staticmethod
    def _failure(job, exc: Exception) -> str | None:
        """What to record of a job that raised `exc` (None: nothing, another worker has it);
        its work has been rolled back."""
        if isinstance(exc, _LeaseLost):
            log.warning("job %s (%s) was claimed again after its lease ran out; left to the "
                        "other worker", job.id, job.kind)
            return None
        if isinstance(exc, TemporaryFailure):
            log.warning("job %s (%s) will be tried again: %s", job.id, job.kind, exc)
            return str(exc)
        log.error("job %s (%s) failed", job.id, job.kind, exc_info=exc)
        return "".join(traceback.format_exception(exc, limit=5))
