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
