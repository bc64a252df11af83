"""The "Speed at scale" benchmark: one command, both deployment modes, one table.

    /work/venv/bin/python bench/run.py [--small] [--only sqlite|scale-out] [--profile]

Builds a synthetic organisation (10,000 people, 1,000,000 statuses; --small: 100,000) into a
fresh database per mode, starts the real server as an operator would, and measures home
timeline reads, posting with fan-out, fan-out lag, live delivery to 2,000 streams, memory per
stream and storage. Every rate is also given as a ratio to a baseline measured in the same
run on the same machine (shared machines are noisy; ratios travel better than numbers).
Prints a table and writes bench/results/<name>.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).parent))

from zwitscher.settings import Settings

import generate
import live
import load
import profiling
import reads
import report
from harness import ADMIN_URL, MODES, REDIS_URL, RESULTS, say
from org import ALL_STAFF, Org, Scale, build_org
from servers import Server, Worker, bench_env, raise_nofile
from stats import ratio

WRITTEN_THRESHOLD = 12_000  # above the most followed account: its posts are written to feeds
NO_ENTITY_CACHES = {"ZWITSCHER_STATUS_CACHE_SIZE": "0", "ZWITSCHER_ACCOUNT_CACHE_SIZE": "0"}


class Plan:
    """Who does what in the measurements, chosen once from the organisation."""

    def __init__(self, org: Org, *, viewers: int, streams: int) -> None:
        rng = random.Random(org.scale.seed + 2)
        self.org = org
        self.viewers = rng.sample(range(org.size), min(viewers, org.size))
        self.small_author = org.written_author_near(100)
        self.burst_authors = org.written_authors_near(50, count=40)
        self.big_author = org.most_followed()
        shared = set(org.followers[self.big_author]) & set(org.followers[ALL_STAFF])
        self.streamers = sorted(shared - {self.big_author, ALL_STAFF})[:streams]
        assert org.followers_count(self.big_author) < WRITTEN_THRESHOLD

    def token(self, i: int) -> str:
        return self.org.tokens[i]

    def followers_to_watch(self, author: int, sample: int = 10) -> tuple[str, list[str]]:
        """The follower fan-out writes last (highest id) and a sample including the latest
        to follow."""
        followers = self.org.followers[author]
        last = max(followers, key=lambda i: self.org.account_ids[i])
        rng = random.Random(author)
        others = {followers[-1], *rng.sample(followers, min(sample, len(followers)))} - {last}
        return self.token(last), [self.token(i) for i in sorted(others)]


async def measure(server: Server, settings: Settings, plan: Plan, *, tokens_file: Path,
                  duration: float, profile_to: Path | None,
                  rendering_server: Callable[[], Server] | None = None) -> dict:
    """`rendering_server` starts a second server on the same database whose status and
    account caches are off: its pages must be the same bytes, and its rate is the home
    timeline with every entity rendered per request."""
    out: dict = {}
    viewer_tokens = [plan.token(i) for i in plan.viewers]
    say(f"cold: each of {len(viewer_tokens)} viewers' first home page, 16 at a time")
    out["home_first_page"] = await reads.first_pages(server.base_url, viewer_tokens)
    say("warming up (home timeline, 2 s)")
    await asyncio.to_thread(load.run_wrk, server.base_url, tokens_file=tokens_file, duration=2)
    # A fresh database starts its housekeeping rounds (quality scores, feed trimming) with
    # the server: the floor and the pages are measured after them, under the same conditions.
    probe = load.Probe(settings)
    settled = await load.wait_for_jobs(probe, 120, housekeeping=True)
    out["housekeeping_at_start_s"] = None if settled is None else round(settled, 1)
    say(f"housekeeping due at start: waited {out['housekeeping_at_start_s']} s")
    say(f"framework floor: GET {load.TRIVIAL_PATH}, 16 connections, {duration:g} s")
    floor = await asyncio.to_thread(load.run_wrk, server.base_url, tokens_file=tokens_file,
                                    path=load.TRIVIAL_PATH, duration=duration)
    out["framework_floor"] = floor.as_dict()
    say(f"home timeline: GET {load.HOME_PATH}, 16 connections, {duration:g} s")
    home = await asyncio.to_thread(load.run_wrk, server.base_url, tokens_file=tokens_file,
                                   duration=duration)
    out["home"] = home.as_dict() | {"ratio_to_floor": ratio(home.rps, floor.rps)}
    say(f"storage floor: HomeFeedRepo.timeline in-process, 16 tasks, {duration:g} s")
    viewer_ids = [plan.org.account_ids[i] for i in plan.viewers]
    storage = await load.storage_floor(settings, viewer_ids, duration=duration)
    out["storage_floor"] = storage
    out["home"]["ratio_to_storage_floor"] = ratio(home.rps, storage["qps"])
    out["home_first_page"]["ratio_to_floor"] = ratio(out["home_first_page"]["rps"], floor.rps)
    author_id = plan.org.account_ids[plan.big_author]
    paths = await reads.read_paths(server.base_url, plan.token(plan.viewers[0]), author_id)
    say(f"other pages that present statuses: {', '.join(paths)}, {duration:g} s each")
    out["reads"] = await asyncio.to_thread(reads.endpoints, server.base_url,
                                           tokens_file=tokens_file, paths=paths,
                                           duration=duration, floor_rps=floor.rps)
    out["rss_mb_caches_warm"] = round(server.rss_bytes() / 2**20, 1)
    if rendering_server is not None:
        out["rendered_every_time"] = await _without_entity_caches(
            server, rendering_server, viewer_tokens, tokens_file, duration, floor.rps)
    if profile_to is not None:
        out["profile"] = await _profile(server, tokens_file, duration, profile_to)

    try:
        say(f"posting: POST /api/v1/statuses, 8 connections, {duration:g} s, then fan-out")
        posting = await load.posting(server.base_url, probe, tokens_file=tokens_file,
                                     duration=duration)
        posting["ratio_to_floor"] = ratio(posting["rps"], floor.rps)
        out["posting"] = posting
        authors = plan.burst_authors
        deliveries = sum(plan.org.followers_count(i) for i in authors) * 2000 // len(authors)
        say(f"burst: 2,000 posts by {len(authors)} people with ~50 followers "
            f"(~{deliveries:,} deliveries), 8 connections, then the fan-out")
        out["burst"] = await load.burst(server.base_url, probe,
                                        author_tokens=[plan.token(i) for i in authors])
        out["burst"]["deliveries"] = deliveries
        out["fan_out_lag"] = await _lags(server, probe, plan)
        out["live"] = await _live(server, probe, plan)
    finally:
        await probe.set_fan_out_on_read(plan.org.account_ids[plan.big_author], True)
        await probe.close()
    return out


async def _without_entity_caches(server: Server, start: Callable[[], Server],
                                 viewer_tokens: list[str], tokens_file: Path, duration: float,
                                 floor_rps: float) -> dict:
    sample = viewer_tokens[:100]
    say(f"same bytes: {len(sample)} home pages from the caches and rendered anew")
    cached = await reads.pages(server.base_url, sample)
    with start() as rendering:
        rendered = await reads.pages(rendering.base_url, sample)
        out = {"comparison": reads.compare(cached, rendered)}
        say(f"home timeline with every entity rendered per request, {duration:g} s")
        load.run_wrk(rendering.base_url, tokens_file=tokens_file, duration=2)
        home = await asyncio.to_thread(load.run_wrk, rendering.base_url,
                                       tokens_file=tokens_file, duration=duration)
    return out | {"home": home.as_dict() | {"ratio_to_floor": ratio(home.rps, floor_rps)}}


async def _lags(server: Server, probe: load.Probe, plan: Plan) -> dict:
    org, lags = plan.org, {}
    big_id = org.account_ids[plan.big_author]
    cases = [("small_written", plan.small_author, None),
             ("all_staff_read_time", ALL_STAFF, None),
             ("big_read_time", plan.big_author, None),
             ("big_written", plan.big_author, False)]
    for key, author, flag in cases:
        if flag is not None:
            await probe.set_fan_out_on_read(big_id, flag)
        last, sample = plan.followers_to_watch(author)
        say(f"fan-out lag: {key} ({org.followers_count(author)} followers)")
        lags[key] = await load.fan_out_lag(server.base_url, author_token=plan.token(author),
                                           last_token=last, sample_tokens=sample)
        lags[key]["followers"] = org.followers_count(author)
        await load.wait_for_jobs(probe)
    return lags


async def _live(server: Server, probe: load.Probe, plan: Plan) -> dict:
    """Streams of followers of both all-staff and the most followed account (whose posts
    are written to feeds in this phase: threshold 12,000)."""
    org = plan.org
    await probe.set_fan_out_on_read(org.account_ids[plan.big_author], False)
    await load.wait_for_jobs(probe)
    tokens = [plan.token(i) for i in plan.streamers]
    half = len(tokens) // 2
    say(f"live: opening {len(tokens)} streams (half SSE, half WebSocket)")
    started = time.perf_counter()
    rss = [server.rss_bytes()]
    connections = await live.open_streams("127.0.0.1", server.port, tokens[:half])
    await asyncio.sleep(2)  # WebSocket subscriptions complete after the upgrade
    rss.append(server.rss_bytes())
    try:
        connections += await live.open_streams("127.0.0.1", server.port, tokens[half:])
        open_s = time.perf_counter() - started - 2
        await asyncio.sleep(2)
        rss.append(server.rss_bytes())
        # The slope over the second half: the first is blurred by memory the earlier load
        # phases still held or had just given back.
        out = {"connections": len(connections), "open_s": round(open_s, 2),
               "rss_mb": [round(r / 2**20, 1) for r in rss],
               "rss_per_connection_kib": round((rss[2] - rss[1]) / 1024
                                               / max(1, len(tokens) - half), 1)}
        say("live: all-staff posts (read-time fan-out: one broadcast channel)")
        out["all_staff_broadcast"] = await live.deliver(server.base_url, connections,
                                                        author_token=plan.token(ALL_STAFF))
        await load.wait_for_jobs(probe)
        say(f"live: the most followed account posts ({org.followers_count(plan.big_author)} "
            "followers, written fan-out: one channel per follower)")
        out["big_written"] = await live.deliver(server.base_url, connections,
                                                author_token=plan.token(plan.big_author))
        await load.wait_for_jobs(probe)
    finally:
        live.close_streams(connections)
    return out


async def _profile(server: Server, tokens_file: Path, duration: float, to: Path) -> dict:
    pid = server.web_pids()[0]
    say(f"profiling the home timeline with py-spy (pid {pid}, 2 x {duration:g} s)")
    wrk = asyncio.create_task(asyncio.to_thread(
        load.run_wrk, server.base_url, tokens_file=tokens_file, duration=2 * duration + 4))
    await asyncio.sleep(1)
    raw = await asyncio.to_thread(profiling.record, pid, to.with_suffix(".txt"),
                                  duration=duration)
    await asyncio.to_thread(profiling.record, pid, to.with_suffix(".svg"), duration=duration,
                            fmt="flamegraph")
    under_profiler = await wrk
    return {"collapsed": str(raw), "flamegraph": str(to.with_suffix(".svg")),
            "rps_while_profiled": round(under_profiler.rps, 1), **profiling.summarise(raw)}


def run_sqlite(org: Org, plan: Plan, args: argparse.Namespace, tokens_file: Path) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="zwitscher-bench-sqlite-"))
    try:
        say(f"embedded: loading the organisation into {workdir}/zwitscher.sqlite3")
        started = time.perf_counter()
        build = generate.load_sqlite(org, workdir)
        build["total_s"] = time.perf_counter() - started
        files = [workdir / f"zwitscher.sqlite3{suffix}" for suffix in ("", "-wal")]
        size = sum(f.stat().st_size for f in files if f.exists())
        settings = Settings(data_dir=workdir, database_url=None)
        env = bench_env(data_dir=workdir, threshold=org.scale.threshold)
        say("embedded: starting zwitscher serve (jobs in-process)")
        with Server(env, workdir, label="serve-sqlite").start() as server:
            figures = asyncio.run(measure(
                server, settings, plan, tokens_file=tokens_file, duration=args.duration,
                profile_to=RESULTS / "home" if args.profile else None,
                rendering_server=lambda: Server(env | NO_ENTITY_CACHES, workdir,
                                                label="serve-sqlite-rendering").start()))
        return {"label": MODES["sqlite"], "build": _rounded(build),
                "storage": _storage(size, org), **figures}
    finally:
        _keep_logs(workdir, "sqlite")
        if args.keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def run_scale_out(org: Org, plan: Plan, args: argparse.Namespace, tokens_file: Path) -> dict:
    name = f"zwitscher_bench_{os.getpid()}"
    workdir = Path(tempfile.mkdtemp(prefix="zwitscher-bench-pg-"))
    url = asyncio.run(generate.create_database(ADMIN_URL, name))
    try:
        say(f"scale-out: loading the organisation into PostgreSQL database {name}")
        started = time.perf_counter()
        build = asyncio.run(generate.load_postgres(org, url))
        build["total_s"] = time.perf_counter() - started
        size = asyncio.run(_pg_size(url))
        settings = Settings(database_url=url, redis_url=REDIS_URL, data_dir=workdir)
        env = bench_env(data_dir=workdir, database_url=url, redis_url=REDIS_URL,
                        jobs_in_process=False, threshold=org.scale.threshold)
        say("scale-out: starting zwitscher worker and zwitscher serve --workers 2")
        with Worker(env, workdir).start(), \
                Server(env, workdir, workers=2, label="serve-2").start() as server:
            figures = asyncio.run(measure(
                server, settings, plan, tokens_file=tokens_file, duration=args.duration,
                profile_to=None,
                rendering_server=lambda: Server(env | NO_ENTITY_CACHES, workdir,
                                                label="serve-rendering").start()))
        say(f"scale-out: home timeline with --workers 1 for comparison, {args.duration:g} s")
        with Worker(env, workdir).start(), \
                Server(env, workdir, workers=1, label="serve-1").start() as server:
            load.run_wrk(server.base_url, tokens_file=tokens_file, duration=2)
            one = load.run_wrk(server.base_url, tokens_file=tokens_file, duration=args.duration)
        figures["one_web_process"] = one.as_dict()
        figures["workers_2_vs_1"] = ratio(figures["home"]["rps"], one.rps)
        return {"label": MODES["scale-out"], "build": _rounded(build),
                "storage": _storage(size, org), **figures}
    finally:
        _keep_logs(workdir, "scale-out")
        asyncio.run(generate.drop_database(ADMIN_URL, name))
        shutil.rmtree(workdir, ignore_errors=True)


def _keep_logs(workdir: Path, mode: str) -> None:
    """The servers' and worker's logs, for when a figure needs explaining."""
    target = RESULTS / f"logs-{mode}"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for log in workdir.glob("*.log"):
        shutil.copy(log, target / log.name)


async def _pg_size(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval("SELECT pg_database_size(current_database())")
    finally:
        await conn.close()


def _storage(size: int, org: Org) -> dict:
    millions = len(org.status_ids) / 1e6
    return {"bytes": size, "mb": round(size / 2**20, 1),
            "mb_per_million_statuses": round(size / 2**20 / millions, 1)}


def _rounded(timings: dict) -> dict:
    return {k: round(v, 2) for k, v in timings.items()}


def _org_facts(org: Org, plan: Plan, seconds: float) -> dict:
    feeds = [len(org.home_feed(i)) for i in plan.viewers]
    return {"accounts": org.size, "statuses": len(org.status_ids),
            "follows": org.follows_count(),
            "median_following": sorted(len(f) for f in org.following)[org.size // 2],
            "accounts_followed_by_5000_plus": sum(org.followers_count(i) >= 5000
                                                  for i in range(org.size)),
            "fan_out_on_read_accounts": len(org.flagged()),
            "threshold": org.scale.threshold,
            "most_followed_followers": org.followers_count(plan.big_author),
            "all_staff_followers": org.followers_count(ALL_STAFF),
            "small_author_followers": org.followers_count(plan.small_author),
            "sampled_viewers": len(plan.viewers),
            "mean_feed_rows_of_viewers": round(sum(feeds) / len(feeds)),
            "build_in_memory_s": round(seconds, 2)}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true",
                        help="100,000 statuses and 5-second measurements (a few minutes)")
    parser.add_argument("--only", choices=list(MODES), help="run one mode only")
    parser.add_argument("--duration", type=float, help="seconds per load measurement")
    parser.add_argument("--streams", type=int, default=2000, help="open streams (live test)")
    parser.add_argument("--profile", action="store_true",
                        help="also sample the embedded server with py-spy (bench/results/home.*)")
    parser.add_argument("--name", help="results file name (default: full or small)")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite data directory")
    args = parser.parse_args(argv)
    args.duration = args.duration or (5.0 if args.small else 10.0)
    args.name = args.name or ("small" if args.small else "full") + (
        f"-{args.only}" if args.only else "")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    began = time.perf_counter()
    nofile = raise_nofile()
    load.ensure_wrk()
    if args.profile:
        profiling.ensure_py_spy()
    scale = Scale(statuses=100_000 if args.small else 1_000_000)
    say(f"building the organisation in memory: {scale.accounts:,} accounts, "
        f"{scale.statuses:,} statuses (open-file limit {nofile})")
    started = time.perf_counter()
    org = build_org(scale)
    plan = Plan(org, viewers=1000, streams=args.streams)
    results: dict = {
        "name": args.name, "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()},
        "settings": {"duration_s": args.duration, "home_connections": 16,
                     "post_connections": 8, "streams": len(plan.streamers),
                     "scale": asdict(scale)},
        "org": _org_facts(org, plan, time.perf_counter() - started), "modes": {}}
    RESULTS.mkdir(exist_ok=True)
    tokens_file = load.write_tokens([plan.token(i) for i in plan.viewers],
                                    Path(tempfile.mkstemp(prefix="zwitscher-bench-tokens-")[1]))
    try:
        for mode in [args.only] if args.only else list(MODES):
            runner = run_sqlite if mode == "sqlite" else run_scale_out
            results["modes"][mode] = runner(org, plan, args, tokens_file)
    finally:
        tokens_file.unlink(missing_ok=True)
    results["total_s"] = round(time.perf_counter() - began, 1)
    path = report.write(results, RESULTS / f"{args.name}.json")
    print()
    print(report.table(results))
    say(f"done in {results['total_s']:.0f} s; results in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
