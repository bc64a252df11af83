"""An analytics page over one year of activity of an account with 10,000 followers: how long
do the web page and the API answer take? One command, one table.

    .venv/bin/python bench/analytics.py [--only sqlite|scale-out] [--requests N] [--keep]

For each mode it starts the real server (`zwitscher serve`; on PostgreSQL + Redis with one
process too, for comparable numbers), makes an owner and an author on the command line, and
writes straight into the database: 10,000 people following the author (9,500 members, 500
guests; 40 groups, one of them a press group), one year of daily and hourly buckets for the
author and the organisation (every metric, the response time histogram included), and
5,000 raw events of the current hour not rolled up yet (as a busy author's last minute
leaves them). Then it asks N times (default 30) for each of:

  web page, a year by day   GET /web/analytics/accounts/:id?from=…&to=…   (signed in)
  web page, a year by week  …&interval=week
  API, a year by day        GET /api/zwitscher/v1/analytics/accounts/:id?from=…&to=…
  API, 31 days by hour      …&interval=hour
  CSV export, a year        GET /api/zwitscher/v1/analytics/accounts/:id.csv?from=…
  organisation, a year      GET /api/zwitscher/v1/analytics/instance?from=…   (the owner)

and prints the median and 95th percentile of each. Not part of the test suite; results in
docs/performance.md. `--keep` leaves the SQLite server running for screenshots.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent))

from zwitscher.db.schema import (
    accounts,
    analytics_daily,
    analytics_events,
    analytics_hourly,
    follows,
    group_members,
    group_tree,
    groups,
    users,
)
from zwitscher.domain.analytics import RESPONSE_BUCKETS
from zwitscher.domain.ids import new_id
from zwitscher.settings import Settings

from harness import (
    PASSWORD,
    REDIS_URL,
    App,
    api_client,
    create_account,
    engine_of,
    say,
    scratch_database,
)
from servers import Server, bench_env

MODES = {"sqlite": "SQLite, 1 process", "scale-out": "PostgreSQL + Redis, 1 process"}
FOLLOWERS = 10_000
GUESTS = 500
GROUPS = 40
RAW_EVENTS = 5_000
DAILY = {"posts": 4, "deliveries": 9_000, "replies": 12, "boosts": 20, "favourites": 60,
         "link_clicks": 35, "followers_gained": 28, "followers_lost": 3, "mentions": 9,
         "mentions_answered": 7, "response_seconds": 7 * 2_400}
HISTOGRAM = dict(zip(RESPONSE_BUCKETS, (3, 2, 1, 1, 0, 0), strict=True))


def _hourly_share(value: int, hour: int) -> int:
    """A day's count spread over its working hours (8 to 18 UTC)."""
    return value // 10 + (1 if hour - 8 < value % 10 else 0) if 8 <= hour < 18 else 0


async def load(settings: Settings, author_id: int, today: date) -> dict[str, float]:
    """The people, follows, groups and counters, by bulk inserts; returns how long each took."""
    engine = engine_of(settings)
    took: dict[str, float] = {}
    now = datetime.now(UTC)
    started = time.perf_counter()
    people = [new_id() for _ in range(FOLLOWERS)]
    group_ids = [new_id() for _ in range(GROUPS)]
    async with engine.begin() as conn:
        await conn.execute(accounts.insert(), [
            dict(id=pid, username=f"f{i}", username_lower=f"f{i}", created_at=now,
                 updated_at=now) for i, pid in enumerate(people)])
        await conn.execute(users.insert(), [
            dict(id=new_id(), account_id=pid, email=f"f{i}@example.org",
                 email_lower=f"f{i}@example.org", password_hash="x", created_at=now,
                 role="guest" if i < GUESTS else "member") for i, pid in enumerate(people)])
        await conn.execute(follows.insert(), [
            dict(id=new_id(), account_id=pid, target_account_id=author_id, created_at=now)
            for pid in people])
        await conn.execute(sa.update(accounts).where(accounts.c.id == author_id)
                           .values(followers_count=FOLLOWERS))
        await conn.execute(groups.insert(), [
            dict(id=gid, slug=f"team-{n}", name="Presse" if n == 0 else f"Team {n}",
                 press=n == 0, created_at=now, updated_at=now)
            for n, gid in enumerate(group_ids)])
        await conn.execute(group_tree.insert(), [dict(ancestor_id=gid, descendant_id=gid)
                                                 for gid in group_ids])
        await conn.execute(group_members.insert(), [
            dict(group_id=group_ids[i % GROUPS], account_id=pid, created_at=now)
            for i, pid in enumerate(people)])
    took["10,000 followers in 40 groups"] = time.perf_counter() - started

    started = time.perf_counter()
    daily, hourly = [], []
    for back in range(366):
        day = datetime.combine(today - timedelta(days=back), datetime.min.time(), UTC)
        values = {**DAILY, **HISTOGRAM}
        for kind, subject_id, scale in (("account", author_id, 1), ("instance", 0, 40)):
            for metric, value in values.items():
                daily.append(dict(subject_kind=kind, subject_id=subject_id, metric=metric,
                                  bucket_start=day, value=value * scale))
                for hour in range(24):
                    if share := _hourly_share(value * scale, hour):
                        hourly.append(dict(subject_kind=kind, subject_id=subject_id,
                                           metric=metric,
                                           bucket_start=day + timedelta(hours=hour),
                                           value=share))
    async with engine.begin() as conn:
        for rows, table in ((daily, analytics_daily), (hourly, analytics_hourly)):
            for start in range(0, len(rows), 20_000):
                await conn.execute(table.insert(), rows[start:start + 20_000])
        hour = now.replace(minute=0, second=0, microsecond=0)
        metrics = ("deliveries", "favourites", "link_clicks", "boosts", "replies")
        await conn.execute(analytics_events.insert(), [
            dict(id=new_id(), subject_kind="account", subject_id=author_id,
                 metric=metrics[i % len(metrics)], hour=hour, value=1)
            for i in range(RAW_EVENTS)])
    took[f"{len(daily):,} daily and {len(hourly):,} hourly buckets, "
         f"{RAW_EVENTS:,} raw events"] = time.perf_counter() - started
    await engine.dispose()
    return took


def browser_of(base: str, login: str) -> httpx.Client:
    web = httpx.Client(base_url=base, timeout=120, follow_redirects=True)
    page = web.get("/web/sign-in")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    web.post("/web/sign-in", data={"csrf": csrf, "login": login, "password": PASSWORD})
    return web


def timed(client: httpx.Client, path: str, requests: int) -> tuple[float, float, int]:
    """Median and 95th percentile in ms (after one warm-up), and the answer's size."""
    size = len(client.get(path).content)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))], size


def run_mode(mode: str, requests: int, keep: bool) -> list[tuple[str, float, float, int]]:
    with scratch_database(mode, f"bench_analytics_{new_id()}") as url:
        return _measure(mode, requests, keep, url)


def _measure(mode: str, requests: int, keep: bool,
             url: str | None) -> list[tuple[str, float, float, int]]:
    data_dir = Path(tempfile.mkdtemp(prefix=f"bench-analytics-{mode}-"))
    env = bench_env(data_dir=data_dir, database_url=url, redis_url=REDIS_URL if url else None)
    settings = Settings(data_dir=data_dir, database_url=url)
    server = Server(env, data_dir).start()
    try:
        for name, role in (("owner", "owner"), ("author", "communicator")):
            create_account(env, name, role)
        app = App(server.base_url, "read")
        author = api_client(server.base_url, app.token("author"), timeout=120)
        owner = api_client(server.base_url, app.token("owner"), timeout=120)
        author_id = int(author.get("/api/v1/accounts/verify_credentials").json()["id"])
        today = datetime.now(UTC).date()
        for what, seconds in asyncio.run(load(settings, author_id, today)).items():
            say(f"{MODES[mode]}: {what} in {seconds:.1f} s")
        year = f"from={today - timedelta(days=364)}&to={today}"
        month = f"from={today - timedelta(days=30)}&to={today}&interval=hour"
        web = browser_of(server.base_url, "author")
        api = "/api/zwitscher/v1/analytics"
        cases = [
            ("web page, a year by day", web, f"/web/analytics/accounts/{author_id}?{year}"),
            ("web page, a year by week", web,
             f"/web/analytics/accounts/{author_id}?{year}&interval=week"),
            ("API, a year by day", author, f"{api}/accounts/{author_id}?{year}"),
            ("API, 31 days by hour", author, f"{api}/accounts/{author_id}?{month}"),
            ("CSV export, a year by day", author, f"{api}/accounts/{author_id}.csv?{year}"),
            ("organisation (API), a year by day", owner, f"{api}/instance?{year}"),
        ]
        results = []
        for label, client, path in cases:
            median, p95, size = timed(client, path, requests)
            results.append((label, median, p95, size))
            say(f"{MODES[mode]}: {label}: median {median:.1f} ms, p95 {p95:.1f} ms")
        report = author.get(f"{api}/accounts/{author_id}?{year}").json()
        assert report["followers"]["total"] == FOLLOWERS
        assert report["followers"]["guests"] == GUESTS, report["followers"]
        assert report["totals"]["posts"] == DAILY["posts"] * 365
        if keep and mode == "sqlite":
            say(f"kept: {server.base_url} (author / owner, password {PASSWORD!r}), "
                f"data in {data_dir}; pid {server.pid}")
            return results
        return results
    except BaseException:
        say(f"{MODES[mode]} failed; the server's log: {server.log_path}")
        keep = True
        raise
    finally:
        if not (keep and mode == "sqlite"):
            server.stop()
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=list(MODES))
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    modes = [args.only] if args.only else list(MODES)
    table = {mode: run_mode(mode, args.requests, args.keep) for mode in modes}
    print()
    print(f"{'':38}" + "".join(f"{MODES[mode][:24]:>28}" for mode in modes))
    for i, (label, *_rest) in enumerate(table[modes[0]]):
        cells = "".join(f"{table[m][i][1]:>10.1f} ms (p95 {table[m][i][2]:>6.1f})"
                        for m in modes)
        print(f"{label:38}{cells}")
    print(f"{'answer size (first mode)':38}" + "".join(
        f"{'':>28}" for _ in modes[1:]), ", ".join(
        f"{label}: {size:,} B" for label, _, _, size in table[modes[0]]))


if __name__ == "__main__":
    main()
