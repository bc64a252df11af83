"""Engines for both backends, and the `Database` that hands out units of work.

SQLite (the embedded default) runs in WAL mode: readers never wait, and there is one writer.
In-process, writers queue on an asyncio lock and open their transaction with
`BEGIN IMMEDIATE`, so two writers never deadlock upgrading a read lock; across processes
`busy_timeout` makes a second writer wait instead of failing.

Reads that present statuses go through `read_at_once` instead: on SQLite the whole read runs in
one call over a plain `sqlite3` connection, where aiosqlite would hop to its thread four times
per statement (cursor, execute, fetch, close: ~80 µs each here, more than most of these
statements cost). It runs right on the event loop while each statement stays short, and on a
reader thread once one does not. The repositories are async, but over that connection nothing
they await ever suspends, so their coroutine runs to its end in one `send` (`_run_at_once`).
Writes that await only the database (`write_at_once`) run the same way on the writer thread.
Every other read (`connection(write=False)`) is one transaction over a reader connection whose
statements run the same way, one by one: on the event loop, or on a reader thread once one
runs long (`ReaderConnection`).
On PostgreSQL, asyncpg needs no threads; pure reads run without a transaction (autocommit: no
BEGIN and COMMIT round trips) and no connection is pinged before use.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from zwitscher import caches
from zwitscher.db.prepared import Prepared
from zwitscher.settings import Settings

T = TypeVar("T")
# Reader threads on SQLite: reads run beside each other and beside the event loop (sqlite3
# lets go of the GIL while SQLite works).
READER_THREADS = 4
# How much of an SQLite database file each connection maps (SQLite caps it at 2 GB).
MMAP_BYTES = 2**31 - 2**16
# Prepared statements each reader connection keeps (sqlite3's default: 128).
STATEMENTS_KEPT = 1024
# A statement of a read on the event loop that runs longer than this is stopped, and the read
# handed to a reader thread (a page statement takes ~0.2 ms).
STATEMENT_SECONDS_ON_THE_LOOP = 0.002
# How often SQLite asks whether to stop it: every this many of its steps (~0.1 ms here).
STEPS_BETWEEN_CHECKS = 2_000


def create_engine(settings: Settings) -> AsyncEngine:
    url = settings.effective_database_url
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, pool_size=8, max_overflow=8,
                                     connect_args={"timeout": 30})
        _configure_sqlite(engine.sync_engine)
    else:
        # No pre-ping: it costs a round trip per checkout. A connection the server closed
        # fails its statement once and is dropped from the pool; recycling keeps them fresh.
        # Enough kept open for the requests one process serves at once: a connection made
        # beyond the pool is closed when given back, and the next one pays for a new
        # connection and for preparing its statements again.
        # No JIT: the planner's cost for a timeline's page (a backward index scan whose rows
        # pass per-row checks) crossed `jit_above_cost`, and each run spent 211 ms compiling
        # for a statement that runs in 0.2 ms (measured on the public timeline).
        engine = create_async_engine(url, pool_size=20, max_overflow=20, pool_recycle=1800,
                                     connect_args={"server_settings": {"jit": "off"}})
    event.listen(engine.sync_engine, "after_execute", _note_stale_caches)
    return engine


# Which invalidated cache (`zwitscher.caches`) a write to a table makes stale. Inserts of
# tokens and people are left out: nothing was cached of what did not exist.
_CACHES_OF_TABLES = {
    "oauth_tokens": caches.VIEWERS, "users": caches.VIEWERS,
    "brand_authors": caches.VIEWERS, "accounts": caches.VIEWERS,
    "filters": caches.FILTERS, "filter_keywords": caches.FILTERS,
    "filter_statuses": caches.FILTERS,
}
_STALE = "zwitscher_stale_caches"


def _note_stale_caches(conn, statement, *_args) -> None:
    if not isinstance(statement, sa.Insert | sa.Update | sa.Delete):
        return
    name = _CACHES_OF_TABLES.get(statement.table.name)
    if name is None or (name == caches.VIEWERS and isinstance(statement, sa.Insert)):
        return
    if statement.table.name == "accounts" and not isinstance(statement, sa.Delete):
        return  # a profile or counter change: the account's tokens say the same as before
    conn.info.setdefault(_STALE, set()).add(name)


def stale_caches(info: dict[str, Any]) -> set[str]:
    """The caches a write connection's statements made stale since last asked (`info`: the
    connection's)."""
    return info.pop(_STALE, set())


def create_reader_engine(settings: Settings, *, held_across_awaits: bool = False) -> sa.Engine:
    """SQLite's engine for reads on the reader threads: plain `sqlite3` connections, without
    transactions unless a read begins one (each statement sees a consistent snapshot).

    For `read_at_once`, a thread holds a connection only while it runs the read: one per
    thread. A `read()` holds its connection while it awaits anything else too, so there may
    be as many as requests in flight: a checkout must never wait (a thread waiting for a
    connection that only another read's next statement would give back could wait forever)."""
    url = settings.effective_database_url.replace("sqlite+aiosqlite", "sqlite+pysqlite", 1)
    # One connection per thread and one for the event loop; last in, first out: a read on
    # the event loop takes the connection used last.
    pool = dict(pool_size=16, max_overflow=-1) if held_across_awaits else dict(
        pool_size=READER_THREADS + 1, max_overflow=0, pool_use_lifo=True)
    # Every read path shares these connections: room for all their statements, so that the
    # page statement (a millisecond or more to prepare) is never pushed out of the cache.
    engine = sa.create_engine(url, **pool, isolation_level="AUTOCOMMIT", connect_args={
        "timeout": 30, "check_same_thread": False, "cached_statements": STATEMENTS_KEPT})
    event.listen(engine, "connect", _prepare_sqlite)
    return engine


def create_writer_engine(settings: Settings) -> sa.Engine:
    """SQLite's engine for `write_at_once`: one plain `sqlite3` connection, used by the
    writer thread, each transaction begun IMMEDIATE (as the async engine's writers)."""
    url = settings.effective_database_url.replace("sqlite+aiosqlite", "sqlite+pysqlite", 1)
    engine = sa.create_engine(url, pool_size=1, max_overflow=0,
                              connect_args={"timeout": 30, "check_same_thread": False})
    _configure_sqlite(engine)
    engine = engine.execution_options(sqlite_begin="IMMEDIATE")
    event.listen(engine, "after_execute", _note_stale_caches)
    return engine


def _prepare_sqlite(dbapi_connection, _record) -> None:
    # Let SQLAlchemy, not the driver, decide when transactions begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # Pages read through a memory map instead of copied into each connection's own cache
    # (2 MB by default): the reader connections share one copy, the operating system's.
    # Address space, not memory; measured on a page statement over 1,000 readers' pages:
    # 0.19 ms against 0.25-0.36 ms.
    cursor.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
    cursor.close()
    # SQLite's own lower() folds only ASCII: "ÖZLEM" would not find "Özlem". PostgreSQL's
    # lower() follows Unicode, and so does Python's.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _configure_sqlite(engine: sa.Engine) -> None:
    event.listen(engine, "connect", _prepare_sqlite)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def _unicode_lower(text: str | None) -> str | None:
    return text.lower() if isinstance(text, str) else text


class _StatementBudget:
    """How long each statement on a connection may run (`STATEMENT_SECONDS_ON_THE_LOOP` from
    each `start`): SQLite's progress handler asks `spent` every few thousand steps, and a true
    answer ends the statement ("interrupted"). SQLite counts the steps over all runs of a
    cached statement, so the clock decides, not the count; and it is this thread's CPU clock:
    on a busy machine the wall clock also counts the time the process waited for a core, and
    stopping such a statement only did its work twice on a fresh connection (measured on the
    home timeline at 16 connections: ~8 % of the server's CPU in reconnecting)."""

    def __init__(self) -> None:
        self.deadline = math.inf
        self.exceeded = False

    def start(self) -> None:
        self.deadline = time.thread_time() + STATEMENT_SECONDS_ON_THE_LOOP

    def spent(self) -> bool:
        self.exceeded = self.exceeded or time.thread_time() > self.deadline
        return self.exceeded


class ImmediateConnection:
    """What the repositories use of an `AsyncConnection` (`execute`, `dialect`), over a
    synchronous connection: every call is complete when it returns. `budget`: the clock
    that holds each statement to its time."""

    def __init__(self, conn: sa.Connection, budget: _StatementBudget | None = None) -> None:
        self._conn = conn
        self._budget = budget
        self.dialect = conn.dialect
        self.info = conn.info

    async def execute(self, statement: sa.Executable, parameters: Any = None) -> sa.Result:
        if self._budget is not None:
            self._budget.start()
        return self._conn.execute(statement, parameters)

    async def fetch_prepared(self, prepared: Prepared, params: Mapping[str, Any]) -> list:
        if self._budget is not None:
            self._budget.start()
        return _fetch_on_driver(self._conn, prepared, params)

    def begin_nested(self) -> _ImmediateSavepoint:
        return _ImmediateSavepoint(self._conn)


class ReaderConnection:
    """What the repositories use of an `AsyncConnection`, over a reader's `sqlite3`
    connection held across awaits: each statement runs on the event loop (where aiosqlite
    would hop to its thread four times), or again on a reader thread if it runs longer than
    `STATEMENT_SECONDS_ON_THE_LOOP`. The read is one transaction, begun with its first
    statement."""

    def __init__(self, conn: sa.Connection, threads: ThreadPoolExecutor) -> None:
        self._conn = conn
        self._threads = threads
        self.dialect = conn.dialect
        self.info = conn.info
        self.begun = False
        self.stopped = False  # a statement was stopped: see `_replace_after_stop`

    async def execute(self, statement: sa.Executable, parameters: Any = None) -> sa.Result:
        frozen = await self._run(self._execute, statement, parameters)
        return frozen()

    async def fetch_prepared(self, prepared: Prepared, params: Mapping[str, Any]) -> list:
        return await self._run(self._fetch_prepared, prepared, params)

    async def _run(self, call: Callable[..., T], *args: Any) -> T:
        self._begin()  # before the clock starts: the snapshot is the same on either thread
        done, result = _within_budget(self._conn, lambda: call(*args), _StatementBudget())
        if done:
            return result
        self.stopped = True
        on_thread = asyncio.get_running_loop().run_in_executor(self._threads, call, *args)
        try:
            return await asyncio.shield(on_thread)
        except asyncio.CancelledError:
            # The connection stays the thread's until its statement ends: ending the read
            # here meanwhile would wait on the loop, or hand the connection on while in use.
            await asyncio.wait([on_thread])
            raise

    def _execute(self, statement: sa.Executable, parameters: Any) -> sa.FrozenResult:
        return self._conn.execute(statement, parameters).freeze()

    def _fetch_prepared(self, prepared: Prepared, params: Mapping[str, Any]) -> list:
        return _fetch_on_driver(self._conn, prepared, params)

    def _begin(self) -> None:
        if not self.begun:
            self._conn.exec_driver_sql("BEGIN")
            self.begun = True


def _within_budget(conn: sa.Connection, call: Callable[[], T],
                   budget: _StatementBudget) -> tuple[bool, T | None]:
    """`call()` with each statement on `conn` held to `budget` (its clock starts now and, for
    a read of several statements, again at each): (True, its result), or (False, None) if a
    statement was stopped. Only reads may be stopped so: a stopped statement changes nothing,
    and the read's transaction stays open."""
    driver = conn.connection.driver_connection
    driver.set_progress_handler(budget.spent, STEPS_BETWEEN_CHECKS)
    budget.start()
    try:
        result = call()
    except Exception:
        if budget.exceeded:
            return False, None
        raise
    finally:
        driver.set_progress_handler(None, 0)
    # A call that caught the interruption itself answered without that statement's rows.
    return (False, None) if budget.exceeded else (True, result)


def _replace_after_stop(conn: sa.Connection) -> None:
    """Close `conn` for good once a statement on it was stopped: Python 3.11's `sqlite3`
    keeps a cached statement stopped while it returned rows marked as in use (its reset
    reports the interruption), and prepares that statement anew at every later run on the
    connection. Measured on the home timeline's page statement: 0.55 against 0.08 ms per
    run, for the rest of the server's life. The pool opens a fresh connection instead."""
    conn.invalidate()


def _fetch_on_driver(conn: sa.Connection, prepared: Prepared,
                     params: Mapping[str, Any]) -> list:
    compiled = prepared.compiled(conn.dialect)
    cursor = conn.connection.driver_connection.execute(compiled.sql,
                                                       compiled.arguments(params))
    try:
        return cursor.fetchall()
    finally:
        cursor.close()


class _ImmediateSavepoint:
    """`async with connection.begin_nested()`, as over an `AsyncConnection`."""

    def __init__(self, conn: sa.Connection) -> None:
        self._conn = conn
        self._savepoint: sa.NestedTransaction | None = None

    async def __aenter__(self) -> _ImmediateSavepoint:
        self._savepoint = self._conn.begin_nested()
        return self

    async def __aexit__(self, exc_type, _exc, _tb) -> None:
        if exc_type is None:
            self._savepoint.commit()
        else:
            self._savepoint.rollback()


class SuspendedRead(RuntimeError):
    """A read or write run at once waited for something other than its connection."""


def _run_at_once(coroutine: Coroutine[Any, Any, T]) -> T:
    try:
        coroutine.send(None)
    except StopIteration as finished:
        return finished.value
    coroutine.close()
    raise SuspendedRead("a unit of work run at once may await only its own connection")


class Database:
    """Owns the engine; `read()`, `read_at_once()` and `write()` run units of work on it."""

    def __init__(self, settings: Settings, engine: AsyncEngine | None = None) -> None:
        self.settings = settings
        self.engine = engine or create_engine(settings)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._writer = asyncio.Lock() if self.is_sqlite else None
        self._reader: sa.Engine | None = None
        self._held_reader: sa.Engine | None = None
        self._reader_threads: ThreadPoolExecutor | None = None
        # The reader connections of reads run at once, kept checked out between them: taking
        # one from the pool and giving it back cost ~45 us a read, a third of the home page's
        # statement. A read at once never awaits: a thread needs one at a time.
        self._idle_here: list[sa.Connection] = []
        self._write_engine: sa.Engine | None = None
        self._writer_thread: ThreadPoolExecutor | None = None

    async def read_at_once(self, read: Callable[[Any], Awaitable[T]]) -> T:
        """`read(connection)`, as one step: on PostgreSQL without a transaction; on SQLite in
        one call, tried right here on the event loop first. Handing a read to a thread and
        back costs more than most reads (measured on the home timeline: 910 against 595
        pages/s; on an account's statuses 1.2 against 2.1 ms of the server's CPU per
        request). A statement that runs longer than `STATEMENT_SECONDS_ON_THE_LOOP` is
        stopped, and the whole read runs again on a reader thread: a slow read holds the loop
        for a few milliseconds at most. `read` may await nothing but the connection."""
        if not self.is_sqlite:
            async with self.engine.connect() as conn:
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                return await read(conn)
        threads = self._reader_threads_started()
        done, result = self._read_here(read)
        if done:
            return result
        return await asyncio.get_running_loop().run_in_executor(
            threads, self._read_on_thread, read)

    def _read_here(self, read: Callable[[Any], Awaitable[T]]) -> tuple[bool, T | None]:
        """`read` on this thread, each statement held to `STATEMENT_SECONDS_ON_THE_LOOP`:
        (True, its result), or (False, None) if a statement was stopped."""
        budget = _StatementBudget()
        conn = self._idle_here.pop() if self._idle_here else self._reader.connect()
        try:
            return _within_budget(
                conn, lambda: _run_at_once(read(ImmediateConnection(conn, budget))), budget)
        finally:
            if budget.exceeded:
                _replace_after_stop(conn)
                conn.close()
            else:
                self._idle_here.append(conn)

    @contextlib.asynccontextmanager
    async def _held_read(self) -> AsyncIterator[ReaderConnection]:
        """A read transaction over a reader connection (`ReaderConnection`); committed at the
        end as `connection` commits, rolled back on an error. Taking the connection and
        ending the transaction are quick: they run right here."""
        threads = self._reader_threads_started()
        with self._held_reader.connect() as conn:
            reader = ReaderConnection(conn, threads)
            try:
                yield reader
            except BaseException:
                if reader.begun:
                    conn.exec_driver_sql("ROLLBACK")
                raise
            else:
                if reader.begun:
                    conn.exec_driver_sql("COMMIT")
            finally:
                if reader.stopped:
                    _replace_after_stop(conn)

    def _reader_threads_started(self) -> ThreadPoolExecutor:
        if self._reader is None:
            # Made on first use, so that tests that never read this way open no pool.
            self._reader = create_reader_engine(self.settings)
            self._held_reader = create_reader_engine(self.settings, held_across_awaits=True)
            self._reader_threads = ThreadPoolExecutor(READER_THREADS,
                                                      thread_name_prefix="zwitscher-read")
        return self._reader_threads

    def _read_on_thread(self, read: Callable[[Any], Awaitable[T]]) -> T:
        with self._reader.connect() as conn:
            return _run_at_once(read(ImmediateConnection(conn)))

    async def write_at_once(self, write: Callable[[Any], Awaitable[T]]) -> T:
        """`write(connection)` in one transaction, as one step: on SQLite one call on the
        writer thread (in turn with the other writers), where aiosqlite would hop threads four
        times per statement. `write` may await nothing but the connection; if it does, its
        transaction is rolled back and `SuspendedRead` raised."""
        if not self.is_sqlite:
            async with self.connection(write=True) as conn:
                return await write(conn)
        if self._write_engine is None:
            self._write_engine = create_writer_engine(self.settings)
            self._writer_thread = ThreadPoolExecutor(1, thread_name_prefix="zwitscher-write")
        async with self._writer:
            return await asyncio.get_running_loop().run_in_executor(
                self._writer_thread, self._write_on_thread, write)

    def _write_on_thread(self, write: Callable[[Any], Awaitable[T]]) -> T:
        with self._write_engine.connect() as conn, conn.begin():
            return _run_at_once(write(ImmediateConnection(conn)))

    @contextlib.asynccontextmanager
    async def connection(self, *, write: bool) -> AsyncIterator:
        if self.is_sqlite and not write:
            async with self._held_read() as conn:
                yield conn
            return
        lock = self._writer if write else None
        async with lock or contextlib.nullcontext():
            async with self.engine.connect() as conn:
                if write and self.is_sqlite:
                    conn = await conn.execution_options(sqlite_begin="IMMEDIATE")
                async with conn.begin():
                    yield conn

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._reader is not None:
            self._reader_threads.shutdown(wait=True)
            while self._idle_here:
                self._idle_here.pop().close()
            self._reader.dispose()
            self._held_reader.dispose()
            self._reader = None
        if self._write_engine is not None:
            self._writer_thread.shutdown(wait=True)
            self._write_engine.dispose()
            self._write_engine = None
