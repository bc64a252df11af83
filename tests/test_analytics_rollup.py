"""Counted events reach their hourly and daily buckets once, however often a roll-up is cut
short and repeated, on the engine the suite runs on; hourly buckets are kept for a while,
daily ones for good."""

import asyncio
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from zwitscher.db.repos.analytics import AnalyticsRepo
from zwitscher.db.schema import analytics_daily, analytics_events, analytics_hourly
from zwitscher.settings import Settings

from support import (
    UserFactory,
    fresh_instance,
    run_on_fresh_database,
    wait_until,
)

ANALYTICS = "/api/zwitscher/v1/analytics"

NOON = datetime(2026, 3, 4, 12, 30, tzinfo=UTC)
LONG_AGO = NOON - timedelta(days=400)  # before the hourly buckets kept


class CutShort(Exception):
    """Stands for a worker killed before its roll-up committed."""


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
                assert await AnalyticsRepo(conn).roll_up(limit=100, hourly_since=LONG_AGO) == 3
                raise CutShort
        except CutShort:
            pass
        async with engine.begin() as conn:
            assert await AnalyticsRepo(conn).roll_up(limit=100, hourly_since=LONG_AGO) == 3
        async with engine.begin() as conn:
            assert await AnalyticsRepo(conn).roll_up(limit=100, hourly_since=LONG_AGO) == 0
        hour = NOON.replace(minute=0)
        day = NOON.replace(hour=0, minute=0)
        assert await _buckets(engine, analytics_hourly) == {
            ("account", 7, "posts", hour): 1, ("account", 7, "posts", hour + timedelta(hours=1)): 1,
            ("instance", 0, "posts", hour): 1}
        assert await _buckets(engine, analytics_daily) == {
            ("account", 7, "posts", day): 2, ("instance", 0, "posts", day): 1}

    run_on_fresh_database(tmp_path, check)


def test_later_events_add_to_buckets_already_rolled_up_in_batches(tmp_path):
    async def check(engine):
        for _ in range(3):
            async with engine.begin() as conn:
                await AnalyticsRepo(conn).count([("group", 3, "favourites", 1)] * 5, at=NOON)
            async with engine.begin() as conn:
                repo = AnalyticsRepo(conn)
                assert await repo.roll_up(limit=2, hourly_since=LONG_AGO) == 2
                while await repo.roll_up(limit=2, hourly_since=LONG_AGO):
                    pass
        async with engine.connect() as conn:
            assert await conn.scalar(sa.select(sa.func.count()).select_from(
                analytics_events)) == 0
        assert await _buckets(engine, analytics_daily) == {
            ("group", 3, "favourites", NOON.replace(hour=0, minute=0)): 15}

    run_on_fresh_database(tmp_path, check)


def test_an_event_of_an_hour_no_longer_kept_goes_into_its_day_only(tmp_path):
    async def check(engine):
        kept_since = NOON.replace(hour=0, minute=0) + timedelta(days=1)
        async with engine.begin() as conn:
            # Taken back a day later, in the hour it was counted in.
            await AnalyticsRepo(conn).count([("account", 7, "favourites", -1)], at=NOON)
            await AnalyticsRepo(conn).count([("account", 7, "favourites", 1)],
                                            at=NOON + timedelta(days=1))
            assert await AnalyticsRepo(conn).roll_up(limit=100, hourly_since=kept_since) == 2
        hour, day = NOON.replace(minute=0), NOON.replace(hour=0, minute=0)
        assert await _buckets(engine, analytics_hourly) == {
            ("account", 7, "favourites", hour + timedelta(days=1)): 1}
        assert await _buckets(engine, analytics_daily) == {
            ("account", 7, "favourites", day): -1,
            ("account", 7, "favourites", day + timedelta(days=1)): 1}

    run_on_fresh_database(tmp_path, check)


def test_trimming_deletes_the_hourly_buckets_before_a_day_and_keeps_the_daily_ones(tmp_path):
    async def check(engine):
        day = NOON.replace(hour=0, minute=0)
        async with engine.begin() as conn:
            repo = AnalyticsRepo(conn)
            for back in range(3):
                await repo.count([("account", 7, "posts", 1), ("instance", 0, "posts", 1)],
                                 at=NOON - timedelta(days=back))
            await repo.roll_up(limit=100, hourly_since=LONG_AGO)
        async with engine.begin() as conn:
            assert await AnalyticsRepo(conn).trim_hourly(before=day - timedelta(days=1)) == 2
        async with engine.begin() as conn:  # nothing older left: the key lookup finds none
            assert await AnalyticsRepo(conn).trim_hourly(before=day - timedelta(days=1)) == 0
        hour = NOON.replace(minute=0)
        assert await _buckets(engine, analytics_hourly) == {
            (kind, subject_id, "posts", hour - timedelta(days=back)): 1
            for kind, subject_id in (("account", 7), ("instance", 0)) for back in (0, 1)}
        assert await _buckets(engine, analytics_daily) == {
            (kind, subject_id, "posts", day - timedelta(days=back)): 1
            for kind, subject_id in (("account", 7), ("instance", 0)) for back in (0, 1, 2)}

    run_on_fresh_database(tmp_path, check)


def test_counting_began_with_the_organisations_first_count(tmp_path):
    """What happened before an instance counted analytics is never taken back: this is the
    moment it began, to the hour, and to the day once rolled up."""
    async def check(engine):
        async with engine.begin() as conn:
            repo = AnalyticsRepo(conn)
            assert await repo.counted_since() is None
            await repo.count([("account", 7, "posts", 1)], at=NOON - timedelta(days=1))
            assert await repo.counted_since() is None  # not one of the organisation's
            await repo.count([("instance", 0, "posts", 1)], at=NOON)
            await repo.count([("instance", 0, "posts", 1)], at=NOON + timedelta(hours=2))
            assert await repo.counted_since() == NOON.replace(minute=0)
            await repo.roll_up(limit=100, hourly_since=LONG_AGO)
            assert await repo.counted_since() == NOON.replace(hour=0, minute=0)
            await repo.count([("instance", 0, "posts", 1)], at=NOON - timedelta(days=2))
            assert await repo.counted_since() == NOON.replace(minute=0) - timedelta(days=2)

    run_on_fresh_database(tmp_path, check)


def _on_server(server, work):
    """Run `work(engine)` against a running test server's database."""
    settings = Settings(data_dir=server.env["ZWITSCHER_DATA_DIR"],
                        database_url=server.env.get("ZWITSCHER_DATABASE_URL"))

    async def run():
        engine = create_async_engine(settings.effective_database_url)
        try:
            return await work(engine)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_hourly_numbers_of_days_past_keeping_go_and_their_days_stay(tmp_path_factory):
    with fresh_instance(tmp_path_factory.mktemp("hourly"),
                        ZWITSCHER_ANALYTICS_ROLLUP_SECONDS="0.3",
                        ZWITSCHER_ANALYTICS_HOURLY_KEEP_SECONDS=str(2 * 86400)) as server:
        alice = UserFactory(server).create()
        today = datetime.now(UTC).date()
        old_day = today - timedelta(days=10)
        start = datetime(old_day.year, old_day.month, old_day.day, tzinfo=UTC)

        async def write_old_buckets(engine):
            async with engine.begin() as conn:
                for kind, subject_id in (("account", int(alice.id)), ("instance", 0)):
                    await conn.execute(analytics_hourly.insert(), [
                        dict(subject_kind=kind, subject_id=subject_id, metric="posts",
                             bucket_start=start + timedelta(hours=hour), value=1)
                        for hour in (9, 10, 11)])
                    await conn.execute(analytics_daily.insert(), [dict(
                        subject_kind=kind, subject_id=subject_id, metric="posts",
                        bucket_start=start, value=3)])

        async def old_hours(engine):
            async with engine.connect() as conn:
                return await conn.scalar(sa.select(sa.func.count()).select_from(
                    analytics_hourly).where(analytics_hourly.c.bucket_start < start
                                            + timedelta(days=1)))

        _on_server(server, write_old_buckets)
        assert wait_until(lambda: _on_server(server, old_hours) == 0, timeout=20)

        report = f"{ANALYTICS}/accounts/{alice.id}"
        by_day = alice.http.get(report, params={"from": old_day.isoformat(),
                                                "to": old_day.isoformat()})
        assert by_day.status_code == 200, by_day.text
        assert by_day.json()["totals"]["posts"] == 3
        # Zeros would look like a quiet day: the hours gone are refused, saying from when on.
        by_hour = alice.http.get(report, params={"from": old_day.isoformat(),
                                                 "to": old_day.isoformat(),
                                                 "interval": "hour"})
        assert by_hour.status_code == 422
        first_kept = (today - timedelta(days=2)).isoformat()
        assert by_hour.json()["error"].endswith(f"Numbers by hour begin on {first_kept}")
        recent = alice.http.get(report, params={"from": first_kept, "interval": "hour"})
        assert recent.status_code == 200, recent.text
