"""For the tests of monitor alerts: a webhook receiver of our own (the edge of the world), and
a look into the server's job queue, which is where the evidence that background work has run
(or has nothing left to do) lives."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TypeVar

import pytest
import sqlalchemy as sa
from mail_support import MailSink

from zwitscher.db.engine import Database
from zwitscher.db.schema import jobs
from zwitscher.db.uow import UnitOfWork, UnitsOfWork
from zwitscher.domain.jobs import CheckMonitorSpikes
from zwitscher.jobs.runner import RECURRING_JOBS
from zwitscher.settings import Settings

# The receiver listens on an address of its own, which the server may reach: 127.0.0.1 stays
# refused like every other address of its network.
RECEIVER = "127.0.0.2"
ALLOW_RECEIVER = {"ZWITSCHER_MONITOR_WEBHOOK_ALLOW_PRIVATE_ADDRESSES": f"{RECEIVER}/32"}
PENDING = ("queued", "running")

T = TypeVar("T")


class Receiver:
    """Answers every POST with 204 and keeps (headers by lower-case name, body)."""

    def __init__(self) -> None:
        self.received: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()},
                                          body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer((RECEIVER, 0), Handler)
        self.url = f"http://{RECEIVER}:{self.httpd.server_address[1]}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


async def _nothing(_messages) -> None:
    return None


@contextlib.asynccontextmanager
async def _units_of_work(server) -> AsyncIterator[UnitsOfWork]:
    """Units of work on the server's database, as another of its processes opens them."""
    database = Database(Settings(data_dir=server.env["ZWITSCHER_DATA_DIR"],
                                 database_url=server.env.get("ZWITSCHER_DATABASE_URL")))
    try:
        yield UnitsOfWork(database, publisher=_nothing, on_jobs_enqueued=lambda: None)
    finally:
        await database.dispose()


def in_database(server, work: Callable[[UnitOfWork], Awaitable[T]], *,
                write: bool = False) -> T:
    """`work(uow)` in one unit of work on the server's database."""

    async def run() -> T:
        async with _units_of_work(server) as uows, \
                (uows.write() if write else uows.read()) as uow:
            return await work(uow)

    return asyncio.run(run())


def wait_in_database(server, done: Callable[[UnitOfWork], Awaitable[bool]], *,
                     timeout: float = 30, interval: float = 0.1) -> bool:
    """Ask `done(uow)` again, each time in a unit of work of its own, until it is true or
    `timeout` seconds have passed; whether it became true."""

    async def run() -> bool:
        async with _units_of_work(server) as uows:
            deadline = time.monotonic() + timeout
            while True:
                async with uows.read() as uow:
                    if await done(uow):
                        return True
                if time.monotonic() > deadline:
                    return False
                await asyncio.sleep(interval)

    return asyncio.run(run())


async def pending_jobs(uow: UnitOfWork, *kinds: str) -> list[sa.Row]:
    """The jobs of these kinds (all but the recurring ones when none is named) still to run
    or running: a job is deleted when it is done."""
    which = jobs.c.kind.in_(kinds) if kinds else jobs.c.kind.not_in(RECURRING_JOBS)
    return await uow.jobs.all(sa.select(jobs.c.id, jobs.c.kind, jobs.c.payload)
                              .where(jobs.c.state.in_(PENDING), which))


def queue_drained(server, *, timeout: float = 60) -> bool:
    """Wait until every job that anything caused has run, the recurring ones aside (what a
    delivery delivers has then arrived: it completes its job only after delivering); whether
    that happened within `timeout` seconds."""

    async def drained(uow: UnitOfWork) -> bool:
        return not await pending_jobs(uow)

    return wait_in_database(server, drained, timeout=timeout)


def spike_check_ran(server, *, times: int, timeout: float = 30) -> bool:
    """Wait until the recurring spike check has run `times` more times from now on. Each run
    deletes its job and queues the next one in the same transaction, so the queue always
    holds exactly one, and each new one is a run done. The run under way now may have begun
    before this was called: with `times=2`, at least one whole run began after it."""
    seen: list[int] = []

    async def turned(uow: UnitOfWork) -> bool:
        current = max((job.id for job in await pending_jobs(uow, CheckMonitorSpikes.KIND)),
                      default=None)
        if current is not None and (not seen or current != seen[-1]):
            seen.append(current)
        return len(seen) > times

    return wait_in_database(server, turned, timeout=timeout)


@pytest.fixture(scope="module")
def receiver():
    """A webhook receiver for the module's tests."""
    found = Receiver()
    yield found
    found.stop()


@pytest.fixture(scope="module")
def sink():
    """An SMTP sink for the module's tests."""
    mail = MailSink()
    mail.start()
    yield mail
    mail.stop()
