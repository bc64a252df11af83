"""Reads that present statuses run in one step (`Database.read_at_once`); on SQLite they are
tried on the event loop first. A long one must still answer, and must not hold up everybody
else while it runs."""

import asyncio

import sqlalchemy as sa

from zwitscher.db.engine import Database
from zwitscher.db.migrate import upgrade
from zwitscher.settings import Settings

from conftest import TEST_DATABASE_URL
from support import create_postgres_database, drop_postgres_database

ROWS = 2_000_000
LONG_COUNT = sa.text("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                     f"WHERE x < {ROWS}) SELECT count(*) FROM c")


async def _long_read(conn) -> int:
    return (await conn.execute(LONG_COUNT)).scalar()


async def _short_read(conn) -> int:
    return (await conn.execute(sa.text("SELECT 41 + 1"))).scalar()


def test_a_long_read_answers_and_other_requests_are_served_while_it_runs(tmp_path):
    database_url = create_postgres_database(TEST_DATABASE_URL) if TEST_DATABASE_URL else None
    settings = Settings(data_dir=tmp_path, database_url=database_url)
    asyncio.run(upgrade(settings))

    async def scenario() -> tuple[int, int, list[int]]:
        database = Database(settings)
        served: list[int] = []

        async def other_requests() -> None:
            while True:
                served.append(await database.read_at_once(_short_read))
                await asyncio.sleep(0.002)

        others = asyncio.create_task(other_requests())
        await asyncio.sleep(0.01)
        before = len(served)
        try:
            counted = await database.read_at_once(_long_read)
            during = len(served) - before
        finally:
            others.cancel()
            await database.dispose()
        return counted, during, served

    try:
        counted, served_during, served = asyncio.run(scenario())
    finally:
        if database_url:
            drop_postgres_database(database_url)
    assert counted == ROWS
    assert set(served) == {42}
    # Held on the event loop, the long read would have let no other read in until its end.
    assert served_during >= 3


ROWS_RETURNED = 300_000
MANY_ROWS = sa.text("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                    f"WHERE x < {ROWS_RETURNED}) SELECT x FROM c")


def test_a_connection_whose_statement_was_stopped_is_not_read_on_again(tmp_path):
    """Python 3.11's sqlite3 never again reuses a cached statement stopped while it returned
    rows: it would prepare it anew at every later run, and every page on that connection
    would cost several times as much for the rest of the server's life. So a reader
    connection whose statement was stopped is closed, and the next read opens a fresh one."""
    settings = Settings(data_dir=tmp_path, database_url=None)
    asyncio.run(upgrade(settings))

    async def scenario() -> tuple[int, object, object, object]:
        database = Database(settings)
        seen: list[object] = []

        async def marked(read):
            async def run(conn):
                seen.append(conn.info.setdefault("marker", object()))
                return await read(conn)
            return await database.read_at_once(run)

        async def many_rows(conn) -> int:
            return len((await conn.execute(MANY_ROWS)).all())

        try:
            await marked(_short_read)
            await marked(_short_read)
            counted = await marked(many_rows)  # stopped on the loop, read on a thread
            await marked(_short_read)
        finally:
            await database.dispose()
        return counted, *seen

    counted, first, again, stopped_on, *after = asyncio.run(scenario())
    assert counted == ROWS_RETURNED
    assert first is again is stopped_on  # the loop keeps reading on one connection...
    assert after[-1] is not stopped_on  # ...until a statement on it was stopped
