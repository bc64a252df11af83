"""Counted events reach their hourly and daily buckets once, however often a roll-up is cut
short and repeated, on the engine the suite runs on."""

import asyncio
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from zwitscher.db.migrate import upgrade
from zwitscher.db.repos.analytics import AnalyticsRepo
from zwitscher.db.schema import analytics_daily, analytics_events, analytics_hourly
from zwitscher.settings import Settings

from conftest import TEST_DATABASE_URL
from support import create_postgres_database, drop_postgres_database

NOON = datetime(2026, 3, 4, 12, 30, tzinfo=UTC)


class CutShort(Exception):
    """Stands for a worker killed before its roll-up committed."""


def _run(tmp_path, check) -> None:
    database_url = create_postgres_database(TEST_DATABASE_URL) if TEST_DATABASE_URL else None
    settings = Settings(data_dir=tmp_path, database_url=database_url)

    async def run():
        await upgrade(settings)
        engine = create_async_engine(settings.effective_database_url)
        try:
            await check(engine)
        finally:
            await engine.dispose()

    try:
        asyncio.run(run())
    finally:
        if database_url:
            drop_postgres_database(database_url)


async def _buckets(engine, table) -> dict:
    async with engine.connect() as conn:
        rows = (await conn.execute(sa.select(table))).all()
    return {(row.subject_kind, row.subject_id, row.metric, row.bucket_start): row.value
            for row in rows}


def test_a_roll_up_cut_short_and_repeated_counts_each_event_once(tmp_path):
    async def check(engine):
        async with engine.begin() as conn:
            await AnalyticsRepo(conn).count([("account", 7, "posts", 1),
                                             ("instance", 0, "posts", 1)], at=NOON)
            await AnalyticsRepo(conn).count([("account", 7, "posts", 1)],
                                            at=NOON + timedelta(hours=1))
        try:
            async with engine.begin() as conn:
                assert await AnalyticsRepo(conn).roll_up(limit=100) == 3
                raise CutShort
        except CutShort:
            pass
        async with engine.begin() as conn:
            assert await AnalyticsRepo(conn).roll_up(limit=100) == 3
        async with engine.begin() as conn:
            assert await AnalyticsRepo(conn).roll_up(limit=100) == 0
        hour = NOON.replace(minute=0)
        day = NOON.replace(hour=0, minute=0)
        assert await _buckets(engine, analytics_hourly) == {
            ("account", 7, "posts", hour): 1, ("account", 7, "posts", hour + timedelta(hours=1)): 1,
            ("instance", 0, "posts", hour): 1}
        assert await _buckets(engine, analytics_daily) == {
            ("account", 7, "posts", day): 2, ("instance", 0, "posts", day): 1}

    _run(tmp_path, check)


def test_later_events_add_to_buckets_already_rolled_up_in_batches(tmp_path):
    async def check(engine):
        for _ in range(3):
            async with engine.begin() as conn:
                await AnalyticsRepo(conn).count([("group", 3, "favourites", 1)] * 5, at=NOON)
            async with engine.begin() as conn:
                repo = AnalyticsRepo(conn)
                assert await repo.roll_up(limit=2) == 2
                while await repo.roll_up(limit=2):
                    pass
        async with engine.connect() as conn:
            assert await conn.scalar(sa.select(sa.func.count()).select_from(
                analytics_events)) == 0
        assert await _buckets(engine, analytics_daily) == {
            ("group", 3, "favourites", NOON.replace(hour=0, minute=0)): 15}

    _run(tmp_path, check)
