"""Trending terms are counted for every term while a day lasts, and each day that is over keeps
its 200 most mentioned terms per monitor, on the engine the suite runs on: what trends for a
past day stays the same, storage does not grow with every rare word, and today is untouched."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from zwitscher.db.repos.monitor_insights import MonitorInsightsRepo
from zwitscher.db.schema import monitor_term_counts, monitors

from support import run_on_fresh_database

TODAY = datetime(2026, 3, 4, tzinfo=UTC)
YESTERDAY = TODAY - timedelta(days=1)
MONITORS = (1, 2)
WORDS = [f"wort{n:03d}" for n in range(250)]


async def _count_posts(engine, monitor_ids, words, *, day, posts: int) -> None:
    for _ in range(posts):
        async with engine.begin() as conn:
            await MonitorInsightsRepo(conn).count_terms(monitor_ids, words, day=day)


async def _kept(engine, monitor_id: int, day: datetime) -> dict[str, int]:
    async with engine.connect() as conn:
        return await MonitorInsightsRepo(conn).term_counts(
            monitor_id, start=day, end=day + timedelta(days=1))


async def _check(engine) -> None:
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        await conn.execute(monitors.insert(), [
            {"id": monitor_id, "name": f"Monitor {monitor_id}", "keywords": [],
             "exclusions": [], "languages": [], "hashtags": [], "account_ids": [],
             "group_ids": [], "created_at": now, "updated_at": now}
            for monitor_id in MONITORS])
    # Yesterday each of 250 words in one post for both monitors; the first 60 in two more
    # posts, "wort000" in a third: those lead. Today the same 250 once.
    await _count_posts(engine, MONITORS, WORDS, day=YESTERDAY, posts=1)
    await _count_posts(engine, MONITORS, WORDS[:60], day=YESTERDAY, posts=2)
    await _count_posts(engine, MONITORS, WORDS[:1], day=YESTERDAY, posts=1)
    await _count_posts(engine, MONITORS, WORDS, day=TODAY, posts=1)
    before = await _kept(engine, 1, YESTERDAY)
    assert len(before) == 250 and before["wort000"] == 4 and before["wort059"] == 3

    async with engine.begin() as conn:
        deleted = await MonitorInsightsRepo(conn).trim_terms(
            since=TODAY - timedelta(days=7), before=TODAY)
    assert deleted == 2 * 50
    for monitor_id in MONITORS:
        kept = await _kept(engine, monitor_id, YESTERDAY)
        assert len(kept) == MonitorInsightsRepo.TERMS_PER_DAY
        assert {word: kept[word] for word in WORDS[:60]} == {word: before[word]
                                                             for word in WORDS[:60]}
        # Of the words mentioned once, those first in the alphabet stay (a stable choice).
        assert set(kept) == set(WORDS[:200])
        assert len(await _kept(engine, monitor_id, TODAY)) == 250

    async with engine.begin() as conn:
        assert await MonitorInsightsRepo(conn).trim_terms(
            since=TODAY - timedelta(days=7), before=TODAY) == 0
    async with engine.connect() as conn:
        assert await conn.scalar(sa.select(sa.func.count()).select_from(
            monitor_term_counts)) == 2 * (200 + 250)


def test_a_day_over_keeps_its_most_mentioned_terms_and_today_keeps_all(tmp_path):
    run_on_fresh_database(tmp_path, _check)
