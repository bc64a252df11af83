"""Request load and its baselines: wrk against the server (home timeline, the trivial endpoint,
posting), the same timeline query straight against the database (the storage floor), and the
lag from a post until it is in its followers' home timelines."""

from __future__ import annotations

import asyncio
import json
import random
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import sqlalchemy as sa

from zwitscher.db.engine import Database
from zwitscher.db.pagination import Page
from zwitscher.db.schema import jobs
from zwitscher.db.uow import UnitsOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.jobs.runner import RECURRING_JOBS
from zwitscher.settings import Settings

from stats import ms, percentile, summary_ms

WRK_DIR = Path(__file__).parent / "wrk"
HOME_PATH = "/api/v1/timelines/home?limit=20"
TRIVIAL_PATH = "/api/v1/instance/peers"  # answers `[]`: routing, middleware, JSON, no DB


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (see bench/README.md)")
    return found


def write_tokens(tokens: list[str], path: Path) -> Path:
    path.write_text("\n".join(tokens) + "\n")
    return path


@dataclass
class WrkResult:
    rps: float
    requests: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: dict[str, int]

    def as_dict(self) -> dict:
        return {"rps": round(self.rps, 1), "requests": self.requests, "p50_ms": self.p50_ms,
                "p90_ms": self.p90_ms, "p99_ms": self.p99_ms, "max_ms": self.max_ms,
                "errors": self.errors}


def run_wrk(base_url: str, *, tokens_file: Path, path: str = HOME_PATH, script: str = "home.lua",
            connections: int = 16, duration: float = 10, threads: int = 2) -> WrkResult:
    """Keep-alive load with `connections` connections; latency percentiles as wrk measures
    them (`--latency`), from the summary our Lua `done` prints."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s",
               "--latency", "--timeout", "30s", "-s", str(WRK_DIR / script), base_url + path]
    env = {"BENCH_TOKENS": str(tokens_file), "BENCH_PATH": path, "BENCH_WRK_DIR": str(WRK_DIR),
           "PATH": "/usr/bin:/bin:/usr/local/bin"}
    done = subprocess.run(command, env=env, capture_output=True, text=True,
                          timeout=duration + 60)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = data["duration_us"] / 1e6
    return WrkResult(
        rps=data["requests"] / seconds, requests=data["requests"],
        p50_ms=data["p50_us"] / 1000, p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000, max_ms=data["max_us"] / 1000,
        errors={k: v for k, v in data["errors"].items() if v})


# The storage floor: the timeline query alone, as the route runs it, without HTTP.

async def _discard(_messages: list[tuple[str, bytes]]) -> None:
    return None


def unit_of_work_factory(settings: Settings) -> UnitsOfWork:
    return UnitsOfWork(Database(settings), publisher=_discard, on_jobs_enqueued=lambda: None)


async def storage_floor(settings: Settings, viewer_ids: list[int], *, concurrency: int = 16,
                        duration: float = 10) -> dict:
    """`HomeFeedRepo.timeline` through `UnitsOfWork.read()` in this process, `concurrency`
    tasks for `duration` seconds (after a one-second warm-up): queries per second."""
    uows = unit_of_work_factory(settings)
    rng = random.Random(7)
    latencies: list[float] = []

    async def client(until: float, record: bool) -> None:
        while (started := time.perf_counter()) < until:
            async with uows.read() as uow:
                await uow.home_feed.timeline(rng.choice(viewer_ids), Page(limit=20))
            if record:
                latencies.append(time.perf_counter() - started)

    try:
        warm_until = time.perf_counter() + 1
        await asyncio.gather(*(client(warm_until, False) for _ in range(concurrency)))
        started = time.perf_counter()
        await asyncio.gather(*(client(started + duration, True) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    finally:
        await uows.database.dispose()
    return {"qps": round(len(latencies) / elapsed, 1), "queries": len(latencies),
            "p50_ms": ms(percentile(latencies, 50)), "p99_ms": ms(percentile(latencies, 99))}


# Posting with fan-out.

class Probe:
    """Direct database access for the bench's own bookkeeping (job queue, fan-out flags)."""

    def __init__(self, settings: Settings) -> None:
        self.database = Database(settings)

    async def pending_jobs(self, *, housekeeping: bool = False) -> int:
        """Jobs a post caused, still to run; with `housekeeping`, every job due now instead
        (recurring housekeeping is always queued, its next round for later)."""
        which = (jobs.c.run_at <= utcnow() if housekeeping
                 else jobs.c.kind.not_in(RECURRING_JOBS))
        async with self.database.engine.connect() as conn:
            return (await conn.execute(
                sa.select(sa.func.count()).select_from(jobs)
                .where(jobs.c.state.in_(("queued", "running")), which))).scalar()

    async def failed_jobs(self) -> int:
        async with self.database.engine.connect() as conn:
            return (await conn.execute(sa.text(
                "SELECT count(*) FROM jobs WHERE state = 'failed'"))).scalar()

    async def set_fan_out_on_read(self, account_id: int, value: bool) -> None:
        async with self.database.connection(write=True) as conn:
            await conn.execute(sa.text("UPDATE accounts SET fan_out_on_read = :v WHERE id = :id"),
                               {"v": value, "id": account_id})

    async def close(self) -> None:
        await self.database.dispose()


async def wait_for_jobs(probe: Probe, timeout: float = 300, *,
                        housekeeping: bool = False) -> float | None:
    """Seconds until the job queue is empty (None: it did not empty within `timeout`); with
    `housekeeping`, until no job at all is due (`Probe.pending_jobs`)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if await probe.pending_jobs(housekeeping=housekeeping) == 0:
            return time.perf_counter() - started
        await asyncio.sleep(0.05)
    return None


async def posting(base_url: str, probe: Probe, *, tokens_file: Path, connections: int = 8,
                  duration: float = 10) -> dict:
    """Sustained `POST /api/v1/statuses` from `connections` keep-alive clients, then the time
    until every post's fan-out job has run (the rate the system really sustains)."""
    started = time.perf_counter()
    result = await asyncio.to_thread(run_wrk, base_url, tokens_file=tokens_file,
                                     path="/api/v1/statuses", script="post.lua",
                                     connections=connections, duration=duration)
    load_s = time.perf_counter() - started
    drain_s = await wait_for_jobs(probe)
    posts = result.requests - result.errors.get("status", 0)
    return {**result.as_dict(), "posts": posts, "connections": connections,
            "drain_s": None if drain_s is None else round(drain_s, 2),
            "fanned_out_per_s": (round(posts / (load_s + drain_s), 1)
                                 if drain_s is not None else None),
            "failed_jobs": await probe.failed_jobs()}


async def burst(base_url: str, probe: Probe, *, author_tokens: list[str], posts: int = 2000,
                connections: int = 8) -> dict:
    """`posts` posts as fast as `connections` clients can, spread over the authors, then the
    time from the last post's response until every fan-out has run (the issue's "100k
    deliveries": 2,000 posts to about 50 followers each)."""
    await wait_for_jobs(probe)
    slots = asyncio.Semaphore(connections)
    async with httpx.AsyncClient(base_url=base_url, timeout=60,
                                 limits=httpx.Limits(max_connections=connections)) as client:
        async def post(i: int) -> None:
            async with slots:
                response = await client.post(
                    "/api/v1/statuses", data={"status": f"Burst {i}"},
                    headers={"Authorization": f"Bearer {author_tokens[i % len(author_tokens)]}"})
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(post(i) for i in range(posts)))
        posting_s = time.perf_counter() - started
    drain_s = await wait_for_jobs(probe)
    return {"posts": posts, "connections": connections, "posting_s": round(posting_s, 2),
            "posts_per_s": round(posts / posting_s, 1),
            "drain_after_last_post_s": None if drain_s is None else round(drain_s, 2),
            "failed_jobs": await probe.failed_jobs()}


async def _home_ids(client: httpx.AsyncClient, token: str, limit: int = 5) -> set[str]:
    response = await client.get(f"/api/v1/timelines/home?limit={limit}",
                                headers={"Authorization": f"Bearer {token}"})
    response.raise_for_status()
    return {s["id"] for s in response.json()}


async def fan_out_lag(base_url: str, *, author_token: str, last_token: str,
                      sample_tokens: list[str], repetitions: int = 3,
                      timeout: float = 60) -> dict:
    """Post as the author; poll the home timeline of the last follower until the post is
    there. Lag = from the POST's response until a poll that sees it has returned (an upper
    bound; one poll takes `poll_ms`). Then the sample of other followers must have it too."""
    lags: list[float] = []
    polls: list[float] = []
    missing = 0
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        await _home_ids(client, last_token)  # connect, warm
        for rep in range(repetitions):
            response = await client.post(
                "/api/v1/statuses", data={"status": f"Fan-out probe {rep} {time.time()}"},
                headers={"Authorization": f"Bearer {author_token}"})
            response.raise_for_status()
            posted = time.perf_counter()
            status_id = response.json()["id"]
            while True:
                sent = time.perf_counter()
                seen = status_id in await _home_ids(client, last_token)
                now = time.perf_counter()
                polls.append(now - sent)
                if seen:
                    lags.append(now - posted)
                    break
                if now - posted > timeout:
                    break
                await asyncio.sleep(0.01)
            for token in sample_tokens:
                deadline = time.perf_counter() + 10
                while status_id not in await _home_ids(client, token):
                    if time.perf_counter() > deadline:
                        missing += 1
                        break
                    await asyncio.sleep(0.05)
    return {"lags_ms": [ms(v) for v in lags], "median_ms": ms(percentile(lags, 50)),
            "max_ms": ms(max(lags)) if lags else None, "timed_out": repetitions - len(lags),
            "poll_ms": summary_ms(polls)["p50_ms"], "sample_size": len(sample_tokens) + 1,
            "sample_missing": missing}
