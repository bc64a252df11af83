"""Reading a test server's analytics counters straight from its database (for the counting
tests; the analytics API is tested through the API)."""

from __future__ import annotations

import asyncio
from collections import Counter

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from zwitscher.db.schema import analytics_daily, analytics_events, analytics_hourly
from zwitscher.settings import Settings


def counters(server) -> tuple[int, dict, dict, dict]:
    """(events not rolled up yet, daily sums, hourly sums, pending sums), each by (subject
    kind, subject id, metric)."""
    settings = Settings(data_dir=server.env["ZWITSCHER_DATA_DIR"],
                        database_url=server.env.get("ZWITSCHER_DATABASE_URL"))

    async def read():
        engine = create_async_engine(settings.effective_database_url)
        try:
            async with engine.connect() as conn:
                pending = await conn.scalar(
                    sa.select(sa.func.count()).select_from(analytics_events))
                sums = []
                for table in (analytics_daily, analytics_hourly, analytics_events):
                    found = Counter()
                    for row in (await conn.execute(sa.select(table))).all():
                        found[(row.subject_kind, row.subject_id, row.metric)] += row.value
                    sums.append(dict(found))
                return pending, *sums
        finally:
            await engine.dispose()

    return asyncio.run(read())


def counted(server, key: tuple) -> int:
    """A counter's total, rolled up or not."""
    _, daily, _, pending = counters(server)
    return daily.get(key, 0) + pending.get(key, 0)
