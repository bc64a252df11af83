"""Posting throughput with 0 and with 5,000 keyword monitors installed: what does matching
every new post against every monitor cost? One command, both deployment modes, one table.

    .venv/bin/python bench/monitors.py [--small] [--only sqlite|scale-out] [--profile]

For each mode it starts the real server as an operator would (`zwitscher serve`, jobs in
process, on SQLite; `zwitscher serve --workers 2` and one `zwitscher worker` on PostgreSQL +
Redis). Eight authors and 24 readers (each reader follows every author, so a post goes to
25 home feeds) are made through the command line and the API. Then, in rounds that take
turns (0 monitors, 5,000, 0, 5,000: so that the growing database weighs on both alike):

- with monitors: 5,000 keyword monitors stored straight into the database (seeded, the same
  every run), owned by the readers: realistic brand, product, person and place terms, 3-10
  keywords and phrases each, a third whole-word, a quarter with 1-3 exclusions, a fifth with
  languages; the monitors' version is bumped, and one post (not measured) makes every process
  build its matcher;
- N posts (1,000; --small 300) through `POST /api/v1/statuses` from 8 connections, texts
  from the same vocabulary, about one in three naming a monitored term; the clock runs from the
  first request until the last fan-out job (which matches the monitors) is done;
- without monitors: the monitors are deleted again (and the version bumped).

Printed: posts/s for both (the median of the rounds), the ratio, the matches stored; with
`--profile`, py-spy records the process that runs the jobs during a round with monitors
(bench/results/monitors-<mode>.txt, the hottest functions in the JSON). Not part of the test
suite. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent))

from zwitscher.db.schema import accounts, jobs, monitor_index, monitor_matches, monitors
from zwitscher.domain.ids import new_id
from zwitscher.settings import Settings

import profiling
from harness import (
    MODES,
    PASSWORD,
    RESULTS,
    SCOPES,
    App,
    api_client,
    create_account,
    engine_of,
    report,
    say,
    scratch,
    table,
)
from servers import Server, raise_nofile

AUTHORS, READERS, CONNECTIONS = 8, 24, 8
MONITORS = 5_000

# The vocabulary monitors and posts are made of (seeded: every run the same).
PREFIXES = ("Nord", "Süd", "Stadt", "Rhein", "Alpen", "Hansa", "Elb", "Main", "Ost", "West",
            "Solar", "Bio", "Tech", "Data", "Green", "Blue", "Smart", "Euro", "Net", "Terra")
STEMS = ("werk", "bank", "bahn", "energie", "net", "soft", "mobil", "pharma", "food", "bau",
         "log", "care", "med", "air", "port", "tel", "versicherung", "kraft", "wind", "wasser")
PRODUCTS = ("One", "Pro", "Max", "Mini", "Go", "Plus", "Flex", "Home", "Cloud", "Drive")
FIRST = ("Anna", "Jonas", "Leonie", "Mehmet", "Sophie", "Lukas", "Mia", "Paul", "Emma", "Ben",
         "Hannah", "Noah", "Lea", "Elias", "Marie", "Finn", "Clara", "Tim", "Ida", "Jan")
LAST = ("Berg", "Schmidt", "Yilmaz", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann",
        "Schulz", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schröder", "Braun", "Zimmer",
        "Krüger", "Hartmann")
PLACES = ("Hamburg", "Köln", "Leipzig", "Dresden", "Bremen", "Kiel", "Mainz", "Ulm", "Jena",
          "Trier", "Passau", "Lübeck")
TOPICS = ("Rückruf", "Störung", "Streik", "Preiserhöhung", "Kundenservice", "Datenleck",
          "Lieferung", "Quartalszahlen", "Nachhaltigkeit", "Fusion", "outage", "recall",
          "launch", "customer service", "price increase", "strike")
EXCLUSIONS = ("Stellenangebot", "job offer", "Gewinnspiel", "giveaway", "Werbung", "sponsored",
              "Praktikum", "Anzeige")
FILLER = ("heute", "wieder", "endlich", "leider", "in", "bei", "mit", "und", "the", "at", "our",
          "new", "today", "again", "Meeting", "Team", "Projekt", "Kantine", "Büro", "Termin",
          "Woche", "Update", "Plan", "Frage", "Idee", "Bericht", "morgen", "gestern")


def brand(rng: random.Random) -> str:
    return rng.choice(PREFIXES) + rng.choice(STEMS)


def term(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.4:
        return brand(rng)
    if kind < 0.6:
        return f"{brand(rng)} {rng.choice(PRODUCTS)}"
    if kind < 0.8:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    if kind < 0.9:
        return f"{brand(rng)} {rng.choice(PLACES)}"
    return f"{brand(rng)} {rng.choice(TOPICS)}"


def monitor_rows(rng: random.Random, owners: list[int], now: datetime) -> list[dict]:
    rows = []
    for i in range(MONITORS):
        owner = owners[i % len(owners)]
        whole = rng.random() < 1 / 3
        keywords = {term(rng) for _ in range(rng.randint(3, 10))}
        exclusions = set(rng.sample(EXCLUSIONS, rng.randint(1, 3))) if rng.random() < .25 else ()
        rows.append({
            "id": new_id(), "name": f"Monitor {i}", "owner_id": owner, "group_id": None,
            "created_by_id": owner,
            "keywords": [{"term": t, "whole_word": whole} for t in sorted(keywords)],
            "exclusions": [{"term": t, "whole_word": False} for t in sorted(exclusions)],
            "languages": rng.choice((["de"], ["de", "en"])) if rng.random() < .2 else [],
            "hashtags": [], "account_ids": [], "group_ids": [],
            "alert_email": False, "alert_push": False, "webhook_url": None,
            "webhook_secret": None, "created_at": now, "updated_at": now})
    return rows


def post_text(rng: random.Random, n: int) -> str:
    words = [rng.choice(FILLER) for _ in range(rng.randint(12, 30))]
    if rng.random() < 1 / 3:  # about one post in three names something someone monitors
        words.insert(rng.randrange(len(words)), rng.choice((brand(rng), term(rng))))
    if rng.random() < .1:
        words.append(rng.choice(TOPICS))
    return " ".join(words) + f" ({n})"


# The people, made in one process by the service the command line uses (a process each
# would cost a second each).
CREATE = """
import asyncio, sys
from zwitscher.cli import _with_uow
from zwitscher.services.register_account import NewAccount, create_account

async def create(uow):
    for name in sys.argv[2:]:
        await create_account(uow, NewAccount(username=name, email=name + "@example.org",
                                             password=sys.argv[1], display_name=""),
                             role="member")

asyncio.run(_with_uow(create))
"""


def create_people(env: dict[str, str], names: list[str]) -> None:
    subprocess.run([sys.executable, "-c", CREATE, PASSWORD, *names], check=True,
                   env={**os.environ, **env}, stdout=subprocess.DEVNULL)


class Instance:
    """The authors and readers, made as an operator and the API would."""

    def __init__(self, server: Server, env: dict[str, str]) -> None:
        self.base = server.base_url
        self.names = [f"author{i}" for i in range(AUTHORS)] + [f"reader{i}"
                                                                for i in range(READERS)]
        create_account(env, "owner", "owner")
        create_people(env, self.names)
        app = App(self.base, SCOPES)
        self.tokens = {name: app.token(name) for name in self.names}
        author_ids = []
        for i in range(AUTHORS):
            with self.http(f"author{i}") as client:
                author_ids.append(client.get("/api/v1/accounts/verify_credentials")
                                  .json()["id"])
        for i in range(READERS):
            with self.http(f"reader{i}") as client:
                for author_id in author_ids:
                    client.post(f"/api/v1/accounts/{author_id}/follow").raise_for_status()

    def http(self, name: str) -> httpx.Client:
        return api_client(self.base, self.tokens[name])


async def drained(engine) -> float:
    """When no job is due or running any more (the fan-outs, with the matching, are done;
    the periodic jobs queued for later do not count)."""
    while True:
        query = sa.select(sa.func.count()).select_from(jobs).where(
            jobs.c.state.in_(("queued", "running")), jobs.c.run_at <= datetime.now(UTC))
        async with engine.connect() as conn:
            if not (await conn.execute(query)).scalar():
                return time.perf_counter()
        await asyncio.sleep(0.02)


async def bump(conn) -> None:
    await conn.execute(monitor_index.update().where(monitor_index.c.id == 1)
                       .values(version=monitor_index.c.version + 1))


async def install_monitors(settings: Settings, seed: int) -> None:
    engine = engine_of(settings)
    async with engine.begin() as conn:
        readers = list((await conn.execute(sa.select(accounts.c.id).where(
            accounts.c.username.like("reader%")))).scalars())
        rows = monitor_rows(random.Random(seed), readers, datetime.now(UTC))
        for start in range(0, len(rows), 500):
            await conn.execute(monitors.insert(), rows[start:start + 500])
        await bump(conn)
    await engine.dispose()


async def remove_monitors(settings: Settings) -> None:
    engine = engine_of(settings)
    async with engine.begin() as conn:
        await conn.execute(monitor_matches.delete())
        await conn.execute(monitors.delete())
        await bump(conn)
    await engine.dispose()


async def count_matches(settings: Settings) -> int:
    engine = engine_of(settings)
    async with engine.connect() as conn:
        found = (await conn.execute(sa.select(sa.func.count()).select_from(
            monitor_matches))).scalar()
    await engine.dispose()
    return found


async def post_all(instance: Instance, settings: Settings, texts: list[str]) -> dict:
    engine = engine_of(settings)
    await drained(engine)
    queue: asyncio.Queue = asyncio.Queue()
    for i, text in enumerate(texts):
        queue.put_nowait((f"author{i % AUTHORS}", text))
    clients = {name: httpx.AsyncClient(
        base_url=instance.base, timeout=120,
        headers={"Authorization": f"Bearer {instance.tokens[name]}"})
        for name in instance.names[:AUTHORS]}

    async def connection() -> None:
        while not queue.empty():
            name, text = queue.get_nowait()
            response = await clients[name].post("/api/v1/statuses", data={
                "status": text, "visibility": "public"})
            response.raise_for_status()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(CONNECTIONS)))
    answered = time.perf_counter()
    done = await drained(engine)
    for client in clients.values():
        await client.aclose()
    await engine.dispose()
    return {"posts": len(texts), "answered_s": round(answered - started, 2),
            "drained_s": round(done - started, 2),
            "posts_per_s": round(len(texts) / (done - started), 1)}


def warm(instance: Instance, settings: Settings) -> None:
    """One post, not measured: each process builds its matcher (or drops it)."""
    with instance.http("author0") as client:
        for _ in range(3):
            client.post("/api/v1/statuses", data={"status": "warming up Nordwerk"})
    asyncio.run(_drain(settings))


async def _drain(settings: Settings) -> None:
    engine = engine_of(settings)
    await drained(engine)
    await engine.dispose()


def run_mode(mode: str, args: argparse.Namespace) -> dict:
    with scratch(mode, "monitors") as run:
        env, settings = run.env(), run.settings
        say(f"{mode}: starting the server")
        with run.deployment(env) as (server, worker):
            say(f"{mode}: {AUTHORS} authors, {READERS} readers following each")
            instance = Instance(server, env)
            rng = random.Random(18)
            rounds: dict[str, list[dict]] = {"without": [], "with": []}
            matches = 0
            hot = None
            for number in range(args.rounds):
                for kind in ("without", "with"):
                    if kind == "with":
                        asyncio.run(install_monitors(settings, seed=18))
                    warm(instance, settings)
                    texts = [post_text(rng, i) for i in range(args.posts)]
                    say(f"{mode}: round {number + 1}, {args.posts} posts, "
                        f"{MONITORS if kind == 'with' else 0} monitors")
                    spying = None
                    if args.profile and kind == "with" and number == 0:
                        pid = worker.pid if worker else server.pid
                        output = RESULTS / f"monitors-{mode}.txt"
                        RESULTS.mkdir(exist_ok=True)
                        spying = (asyncio.run(_start_profile(pid, output, args.posts)), output)
                    figures = asyncio.run(post_all(instance, settings, texts))
                    if spying:
                        spying[0].join()
                        hot = profiling.summarise(spying[1], top=40)
                    if kind == "with":
                        matches += asyncio.run(count_matches(settings))
                        asyncio.run(remove_monitors(settings))
                    rounds[kind].append(figures)
                    say(f"{mode}:   {figures}")
        without = round(statistics.median(r["posts_per_s"] for r in rounds["without"]), 1)
        with_ = round(statistics.median(r["posts_per_s"] for r in rounds["with"]), 1)
        return {"label": MODES[mode], "posts": args.posts, "rounds": rounds,
                "without_posts_per_s": without, "with_posts_per_s": with_,
                "cost_percent": round(100 * (1 - with_ / without), 1),
                "matches_per_round": matches // args.rounds, "profile": hot}


async def _start_profile(pid: int, output: Path, posts: int):
    import threading

    thread = threading.Thread(target=profiling.record, args=(pid, output),
                              kwargs={"duration": max(10, posts / 20)})
    thread.start()
    await asyncio.sleep(1)  # py-spy has attached
    return thread


ROWS = [("Posts per round (8 connections, 25 feeds each)", lambda m: f"{m['posts']:,}"),
        ("Posts/s, 0 monitors", lambda m: f"{m['without_posts_per_s']}"),
        (f"Posts/s, {MONITORS:,} monitors", lambda m: f"{m['with_posts_per_s']}"),
        ("Ratio (with / without)",
         lambda m: f"{m['with_posts_per_s'] / m['without_posts_per_s']:.2f}"),
        ("Cost of the monitors", lambda m: f"{m['cost_percent']} %"),
        ("Matches stored per round", lambda m: f"{m['matches_per_round']:,}"),
        ("Rounds (posts/s without | with)", lambda m: " ".join(
            f"{a['posts_per_s']}|{b['posts_per_s']}"
            for a, b in zip(m["rounds"]["without"], m["rounds"]["with"], strict=True)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="300 posts a round, not 1,000")
    parser.add_argument("--only", choices=list(MODES))
    parser.add_argument("--posts", type=int)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", action="store_true",
                        help="py-spy on the job runner during the first round with monitors")
    args = parser.parse_args(argv)
    args.posts = args.posts or (300 if args.small else 1_000)
    raise_nofile()
    results = {mode: run_mode(mode, args) for mode in MODES if args.only in (None, mode)}
    report(results, table(results, ROWS, label_width=48),
           "monitors-small" if args.small else "monitors")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
