"""Engines for both backends, and the `Database` that hands out units of work.

SQLite (the embedded default) runs in WAL mode: readers never wait, and there is one writer.
In-process, writers queue on an asyncio lock and open their transaction with
`BEGIN IMMEDIATE`, so two writers never deadlock upgrading a read lock; across processes
`busy_timeout` makes a second writer wait instead of failing.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from zwitscher.settings import Settings


def create_engine(settings: Settings) -> AsyncEngine:
    url = settings.effective_database_url
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, pool_size=8, max_overflow=8,
                                     connect_args={"timeout": 30})
        _configure_sqlite(engine)
        return engine
    return create_async_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
        # SQLite's own lower() folds only ASCII: "ÖZLEM" would not find "Özlem". PostgreSQL's
        # lower() follows Unicode, and so does Python's.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection):
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def _unicode_lower(text: str | None) -> str | None:
    return text.lower() if isinstance(text, str) else text


class Database:
    """Owns the engine; `read()` and `write()` open units of work on it."""

    def __init__(self, settings: Settings, engine: AsyncEngine | None = None) -> None:
        self.settings = settings
        self.engine = engine or create_engine(settings)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._writer = asyncio.Lock() if self.is_sqlite else None

    @contextlib.asynccontextmanager
    async def connection(self, *, write: bool) -> AsyncIterator:
        lock = self._writer if write else None
        async with lock or contextlib.nullcontext():
            async with self.engine.connect() as conn:
                if write and self.is_sqlite:
                    conn = await conn.execution_options(sqlite_begin="IMMEDIATE")
                async with conn.begin():
                    yield conn

    async def dispose(self) -> None:
        await self.engine.dispose()
