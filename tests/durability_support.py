"""Helpers for tests/test_durability.py: deployments whose processes are pulled out (SIGKILL)
and started again on the same database, a posting load that sends a post again with its
`Idempotency-Key` when it got no answer, and whole timelines read page by page."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import shutil
import sqlite3
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import redis

from support import ServerProcess, WorkerProcess, free_port, wait_until


def pull_the_plug(process: ServerProcess | WorkerProcess) -> None:
    """SIGKILL: no request finished, no lease handed back, nothing flushed. `zwitscher serve`
    with one web process and `zwitscher worker` start no children, so the process is all."""
    process.process.kill()
    process.process.wait(timeout=10)
    process.log.close()
    # The restarted process writes a log of the same name: keep this one beside it.
    log = Path(process.log.name)
    log.rename(log.with_suffix(f".killed-{next(_kills)}.log"))


_kills = itertools.count(1)


def _start_together(processes: list[ServerProcess | WorkerProcess]) -> None:
    with ThreadPoolExecutor(max(len(processes), 1)) as pool:
        for started in [pool.submit(process.start) for process in processes]:
            started.result()


@dataclass
class Deployment:
    """The processes of one topology. `front` takes the posts and is killed with `workers`;
    `streams` serves the live streams: another web process that survives, or `front` itself."""

    name: str
    env: dict[str, str]
    front: ServerProcess
    streams: ServerProcess
    workers: list[WorkerProcess] = field(default_factory=list)
    # Whether the stream server hears what the job runners publish (not so with SQLite and a
    # separate worker: without Redis each process has its own in-memory broker).
    live_streams: bool = True
    # The deployment's own Redis server, where it has one.
    redis: redis.Redis | None = None

    def start(self) -> None:
        # The first applies the migrations; the others find the database up to date.
        self.front.start()
        _start_together([process for process in [self.streams, *self.workers]
                         if process is not self.front])

    def kill(self) -> None:
        for process in [self.front, *self.workers]:
            pull_the_plug(process)

    def start_again(self) -> None:
        _start_together([self.front, *self.workers])

    def stop(self) -> None:
        for worker in self.workers:
            worker.close()
        for process in dict.fromkeys([self.front, self.streams]):
            if not process.log.closed:
                process.stop()

    def logs(self) -> str:
        folder = Path(self.env["ZWITSCHER_DATA_DIR"])
        return "".join(path.read_text(errors="replace") for path in sorted(folder.glob("*.log")))

    def queued_fan_outs(self) -> set[str]:
        """The statuses whose fan-out job is in the queue (queued, or claimed by a worker that
        is gone): read from the database while no job runner is alive."""
        url = self.env.get("ZWITSCHER_DATABASE_URL")
        if url is None:
            path = Path(self.env["ZWITSCHER_DATA_DIR"]) / "zwitscher.sqlite3"
            with sqlite3.connect(path) as conn:
                rows = conn.execute(
                    "SELECT payload FROM jobs WHERE kind = 'status.fan_out'").fetchall()
            return {str(json.loads(payload)["status_id"]) for (payload,) in rows}

        async def fetch() -> set[str]:
            conn = await asyncpg.connect(url)
            try:
                rows = await conn.fetch("SELECT payload->>'status_id' AS id FROM jobs "
                                        "WHERE kind = 'status.fan_out'")
            finally:
                await conn.close()
            return {row["id"] for row in rows}

        return asyncio.run(fetch())


@dataclass
class Attempt:
    """One post as its author's app sees it: the key it sent, and the answers it got."""

    key: str
    text: str
    tries: int = 0
    first_tried_in: int = 0  # the deployment's life (0 before the kill, 1 after the restart)
    status: dict | None = None  # the acknowledged status (200)


class PostingLoad:
    """Each author posts as fast as the server answers, every post with an `Idempotency-Key`.
    A request that gets no answer (the server died under it) waits until the server is back
    (`up`) and is sent again with the same key, as a careful app does."""

    def __init__(self, authors, base_url: str) -> None:
        self.base_url = base_url
        self.up = threading.Event()
        self.up.set()
        self.life = 0
        self.stopping = threading.Event()
        self.attempts: list[Attempt] = []
        self.refusals: list[str] = []
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._post_as, args=(author,), daemon=True)
                         for author in authors]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def server_down(self) -> None:
        self.up.clear()

    def server_back(self) -> None:
        self.life += 1
        self.up.set()

    def finish(self) -> None:
        self.stopping.set()
        self.up.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def acknowledged(self, *, in_life: int | None = None) -> list[Attempt]:
        with self._lock:
            return [attempt for attempt in self.attempts if attempt.status is not None
                    and (in_life is None or attempt.first_tried_in == in_life)]

    def _post_as(self, author) -> None:
        client = httpx.Client(base_url=self.base_url, headers=author.headers(), timeout=30)
        for number in itertools.count():
            if self.stopping.is_set():
                break
            key = f"{author.username}-{number}"
            attempt = Attempt(key, f"Dauerhaft {key}")
            with self._lock:
                self.attempts.append(attempt)
            while attempt.status is None:
                self.up.wait()
                if not attempt.tries:
                    attempt.first_tried_in = self.life
                attempt.tries += 1
                try:
                    response = client.post("/api/v1/statuses", data={"status": attempt.text},
                                           headers={"Idempotency-Key": key})
                except httpx.HTTPError:
                    continue  # no answer: the server died; once it is back, again
                if response.status_code == 200:
                    attempt.status = response.json()
                elif response.status_code < 500:
                    self.refusals.append(f"{key}: {response.status_code} {response.text}")
                    break
        client.close()


def every_page(client: httpx.Client, path: str, **params) -> list[dict]:
    """All of a paginated list, following its `Link: rel="next"` to the end."""
    items: list[dict] = []
    response = client.get(path, params=params)
    while True:
        response.raise_for_status()
        page = response.json()
        items += page
        if not page or "next" not in response.links:
            return items
        response = client.get(response.links["next"]["url"])


def twice(values) -> list[str]:
    """The values that occur more than once."""
    return sorted(value for value, count in Counter(values).items() if count > 1)


@contextlib.contextmanager
def redis_of_our_own(folder: Path) -> Iterator[redis.Redis | None]:
    """A Redis server for one deployment alone, which its tests may pause (`CLIENT PAUSE`)
    without holding up anyone else's; None where no `redis-server` is installed."""
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1",
                                "--save", "", "--appendonly", "no"], cwd=folder,
                               stdout=subprocess.DEVNULL)
    client = redis.Redis(port=port)

    def answers() -> bool:
        with contextlib.suppress(redis.ConnectionError):
            return client.ping()
        return False

    try:
        assert wait_until(answers), "redis-server did not start"
        yield client
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=10)


def url_of(client: redis.Redis) -> str:
    options = client.connection_pool.connection_kwargs
    return f"redis://{options['host']}:{options['port']}/0"
