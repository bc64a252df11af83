"""What the bench scripts share, so that each of them reads as what it measures:

- where the engines are (`ADMIN_URL`, `REDIS_URL`), the two deployment modes (`MODES`), and
  what a run leaves behind it, removed afterwards: its data directory and, scaled out, its
  own PostgreSQL database (`scratch`, `scratch_database`);
- people made as an operator would make them (`create_account`, on the command line), signed
  in as an app would sign them in (`App`), and their API clients (`api_client`, `async_api_client`);
- the results: `table` puts the modes side by side, `report` prints it and writes the JSON.

The servers themselves are started by `servers.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from zwitscher.db.migrate import upgrade_sync
from zwitscher.settings import Settings

import generate
from servers import Server, Worker, bench_env, deployment

RESULTS = Path(__file__).parent / "results"
ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "bench password 1"
SCOPES = "read write follow admin:read admin:write"
MODES = {"sqlite": "embedded (SQLite, 1 process)",
         "scale-out": "scale-out (PostgreSQL + Redis, 2 web + 1 worker)"}
# A row of a results table: its label, and how a mode's results show in it.
Row = tuple[str, Callable[[dict], str]]


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def cli(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "zwitscher.cli", *args], check=True,
                   env={**os.environ, **env}, stdout=subprocess.DEVNULL)


def create_account(env: dict[str, str], name: str, role: str) -> None:
    """`name`@example.org with the bench's password, as an operator makes one."""
    cli(env, "accounts", "create", name, "--email", f"{name}@example.org",
        "--password", PASSWORD, "--role", role)


def engine_of(settings: Settings) -> AsyncEngine:
    url = settings.effective_database_url
    # The bench writes while the server does: on SQLite, wait for its lock rather than fail.
    return create_async_engine(url, connect_args={"timeout": 60} if "sqlite" in url else {})


@dataclass(frozen=True, slots=True)
class Scratch:
    """One mode's run: its data directory and, scaled out, its own database, migrated."""

    mode: str
    workdir: Path
    url: str | None
    settings: Settings

    @property
    def scaled_out(self) -> bool:
        return self.url is not None

    def env(self, **extra: str) -> dict[str, str]:
        """The server's environment: jobs in process on SQLite, a worker of their own (and
        Redis) scaled out; `extra` for what a bench adds (its sinks' addresses)."""
        return bench_env(data_dir=self.workdir, database_url=self.url,
                         redis_url=REDIS_URL if self.url else None,
                         jobs_in_process=not self.scaled_out) | extra

    def deployment(self, env: dict[str, str]
                   ) -> contextlib.AbstractContextManager[tuple[Server, Worker | None]]:
        """The server (and, scaled out, its worker) as an operator runs them."""
        return deployment(env, self.workdir, scaled_out=self.scaled_out,
                          label=f"serve-{self.mode}")


@contextlib.contextmanager
def scratch(mode: str, bench: str) -> Iterator[Scratch]:
    """A run of `bench` in `mode`; its data directory and database are gone afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix=f"zwitscher-bench-{bench}-{mode}-"))
    try:
        with scratch_database(mode, f"zwitscher_bench_{bench}_{os.getpid()}") as url:
            settings = Settings(data_dir=workdir, database_url=url)
            if url:
                upgrade_sync(settings)
            yield Scratch(mode, workdir, url, settings)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def scratch_database(mode: str, name: str) -> Iterator[str | None]:
    """In the scale-out mode, the URL of a new database `name` on the bench's PostgreSQL,
    dropped when the run is over; None (the server's own SQLite) in the other."""
    url = asyncio.run(generate.create_database(ADMIN_URL, name)) if mode == "scale-out" \
        else None
    try:
        yield url
    finally:
        if url:
            asyncio.run(generate.drop_database(ADMIN_URL, name))


class App:
    """An app registered on the server that signs people in with their password, as a client
    app would: one token each."""

    def __init__(self, base: str, scopes: str) -> None:
        self.base, self.scopes = base, scopes
        registered = httpx.post(f"{base}/api/v1/apps", data={
            "client_name": "bench", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
            "scopes": scopes}).json()
        self.client_id: str = registered["client_id"]
        self.client_secret: str = registered["client_secret"]

    def token(self, name: str) -> str:
        response = httpx.post(f"{self.base}/oauth/token", data={
            "grant_type": "password", "username": f"{name}@example.org", "password": PASSWORD,
            "client_id": self.client_id, "client_secret": self.client_secret,
            "scope": self.scopes})
        response.raise_for_status()
        return response.json()["access_token"]


def api_client(base: str, token: str, *, timeout: float = 60) -> httpx.Client:
    return httpx.Client(base_url=base, timeout=timeout,
                        headers={"Authorization": f"Bearer {token}"})


def async_api_client(base: str, token: str, *, timeout: float = 120) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=base, timeout=timeout,
                             headers={"Authorization": f"Bearer {token}"})


def table(results: dict[str, dict], rows: Sequence[Row], *, label_width: int,
          column_width: int = 34) -> str:
    """The modes side by side: their names and labels over a rule, then a line per row."""
    modes = list(results)
    lines = [f"{'':{label_width}}" + "".join(f"{mode:{column_width}}" for mode in modes),
             f"{'':{label_width}}" + "".join(
                 f"{results[mode]['label'][:column_width - 1]:{column_width}}"
                 for mode in modes),
             "-" * (label_width + column_width * len(modes))]
    for label, value in rows:
        lines.append(f"{label:{label_width}}"
                     + "".join(f"{value(results[m]):{column_width}}" for m in modes))
    return "\n".join(lines)


def report(results: dict, text: str, name: str) -> None:
    """Print the results' table (`text`) with the machine's load, and write the results to
    bench/results/`name`.json."""
    print()
    print(text)
    print(f"\nMachine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the end.")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2, default=str))
