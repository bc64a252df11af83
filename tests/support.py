"""Helpers for the integration tests: start servers, make people, talk HTTP."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import itertools
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import launcher
from mastodon import Mastodon
from sqlalchemy.ext.asyncio import create_async_engine

from zwitscher.db.migrate import upgrade
from zwitscher.settings import Settings

PASSWORD = "correct horse battery"
# Test servers take thousands of requests and sign-ins from one address in minutes.
UNLIMITED = {"ZWITSCHER_RATE_LIMIT": "1000000",
             "ZWITSCHER_SIGN_IN_LIMIT_PER_ADDRESS": "1000000/minute",
             "ZWITSCHER_SIGN_IN_LIMIT_PER_LOGIN": "1000000/minute",
             "ZWITSCHER_SIGN_UP_LIMIT_PER_ADDRESS": "1000000/minute"}

# Test servers create people by the hundred and sign them in: argon2's test profile keeps its
# 0.18 s of CPU per hash (the real profile's) from dominating the suite.
CHEAP_PASSWORDS = {"ZWITSCHER_PASSWORD_HASH_PROFILE": "cheapest"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """`zwitscher serve` as a newcomer runs it, on a free port, with the given environment."""

    def __init__(self, env: dict[str, str], *, args: tuple[str, ...] = (),
                 port: int | None = None) -> None:
        self.env = env
        self.args = args
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: launcher.Launched | None = None

    def start(self) -> None:
        # The server's public address is its own (127.0.0.1:port) unless the test names one.
        env = {**{name: value for name, value in os.environ.items()
                  if name != "ZWITSCHER_BASE_URL"}, **self.env}
        seed_sqlite(env)
        self.log = open(os.path.join(self.env["ZWITSCHER_DATA_DIR"], f"serve-{self.port}.log"),
                        "wb")
        self.process = launcher.popen(["serve", "--port", str(self.port), *self.args],
                                      env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early; see {self.log.name}")
            try:
                if httpx.get(f"{self.base_url}/api/v1/instance", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("server did not start within 60 s")

    def cli(self, *args: str, answers: str | None = None) -> str:
        """Run `zwitscher ARGS` against this server's database, as its operator would,
        typing `answers` at its prompts."""
        env = {**os.environ, **self.env}
        done = launcher.run(list(args), env=env, input=answers)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()

    def log_text(self) -> str:
        self.log.flush()
        with open(self.log.name, "rb") as handle:
            return handle.read().decode(errors="replace")


@dataclass
class User:
    username: str
    email: str
    id: str
    token: str
    api: Mastodon
    http: httpx.Client

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


_counter = itertools.count()


class UserFactory:
    """Registers people through the API, the way a sign-up does, and signs them in."""

    def __init__(self, server: ServerProcess) -> None:
        self.server = server
        self.client_id, self.client_secret = Mastodon.create_app(
            "zwitscher-tests", api_base_url=server.base_url,
            scopes=["read", "write", "follow", "push", "admin:read", "admin:write"])
        self._app_token = None
        self._owner: httpx.Client | None = None

    def app_token(self) -> str:
        if self._app_token is None:
            response = httpx.post(f"{self.server.base_url}/oauth/token", data={
                "grant_type": "client_credentials", "client_id": self.client_id,
                "client_secret": self.client_secret,
                "scope": "read write follow push admin:read admin:write"})
            response.raise_for_status()
            self._app_token = response.json()["access_token"]
        return self._app_token

    def _owner_http(self) -> httpx.Client:
        """An owner of the instance, made once by the command line as an operator would; it
        gives people their roles through the admin API (a command per person costs seconds)."""
        if self._owner is None:
            username = f"owner_{secrets.token_hex(4)}"
            email = f"{username}@example.org"
            self.server.cli("accounts", "create", username, "--email", email,
                            "--password", PASSWORD, "--role", "owner")
            response = httpx.post(f"{self.server.base_url}/oauth/token", data={
                "grant_type": "password", "username": email, "password": PASSWORD,
                "client_id": self.client_id, "client_secret": self.client_secret,
                "scope": "admin:read admin:write"})
            assert response.status_code == 200, response.text
            self._owner = httpx.Client(base_url=self.server.base_url, timeout=30, headers={
                "Authorization": f"Bearer {response.json()['access_token']}"})
        return self._owner

    def confirm(self, username: str) -> None:
        """An admin vouches for a new person's address: following the e-mailed link, which
        tests/test_email_confirmation.py does, costs each sign-up a mail job."""
        owner = self._owner_http()
        found = owner.get("/api/v1/accounts/lookup", params={"acct": username})
        assert found.status_code == 200, found.text
        owner.post(f"/api/zwitscher/v1/admin/accounts/{found.json()['id']}/confirm"
                   ).raise_for_status()

    def create(self, username: str | None = None, *, locked: bool = False,
               display_name: str | None = None, role: str | None = None) -> User:
        username = username or f"u{next(_counter)}_{secrets.token_hex(3)}"
        email = f"{username}@example.org"
        response = httpx.post(f"{self.server.base_url}/api/v1/accounts", headers={
            "Authorization": f"Bearer {self.app_token()}"}, data={
            "username": username, "email": email, "password": PASSWORD, "agreement": "true",
            "locale": "en"})
        assert response.status_code == 200, response.text
        token = response.json()["access_token"]
        self.confirm(username)
        api = Mastodon(access_token=token, api_base_url=self.server.base_url,
                       client_id=self.client_id, client_secret=self.client_secret)
        http = httpx.Client(base_url=self.server.base_url,
                            headers={"Authorization": f"Bearer {token}"}, timeout=30)
        me = http.get("/api/v1/accounts/verify_credentials").json()
        if locked or display_name:
            changes = {"locked": "true" if locked else "false"}
            if display_name:
                changes["display_name"] = display_name
            http.patch("/api/v1/accounts/update_credentials", data=changes).raise_for_status()
        if role:
            self._owner_http().put(f"/api/zwitscher/v1/admin/accounts/{me['id']}/role",
                                   data={"role": role}).raise_for_status()
            # Sign in again, as an admin app would, asking for the admin scopes too.
            response = httpx.post(f"{self.server.base_url}/oauth/token", data={
                "grant_type": "password", "username": email, "password": PASSWORD,
                "client_id": self.client_id, "client_secret": self.client_secret,
                "scope": "read write follow push admin:read admin:write"})
            assert response.status_code == 200, response.text
            token = response.json()["access_token"]
            api = Mastodon(access_token=token, api_base_url=self.server.base_url,
                           client_id=self.client_id, client_secret=self.client_secret)
            http = httpx.Client(base_url=self.server.base_url,
                                headers={"Authorization": f"Bearer {token}"}, timeout=30)
        return User(username, email, me["id"], token, api, http)


@contextlib.contextmanager
def fresh_instance(data_dir, *, port: int | None = None,
                   **settings: str) -> Iterator[ServerProcess]:
    """A server of its own with its own database (on the engine the suite runs on) and the
    given `ZWITSCHER_*` settings: for tests that need an empty instance or other settings
    (and a port chosen beforehand, for settings that name the server's own address)."""
    env = {"ZWITSCHER_DATA_DIR": str(data_dir), **UNLIMITED, **CHEAP_PASSWORDS, **settings}
    admin_url = os.environ.get("ZWITSCHER_TEST_DATABASE_URL")
    database_url = create_postgres_database(admin_url) if admin_url else None
    if database_url:
        env["ZWITSCHER_DATABASE_URL"] = database_url
        if redis_url := os.environ.get("ZWITSCHER_TEST_REDIS_URL"):
            env["ZWITSCHER_REDIS_URL"] = redis_url
    server = ServerProcess(env, port=port)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        if database_url:
            drop_postgres_database(database_url)


def matrix_table(viewers: tuple[str, ...], text: str) -> dict[tuple[str, str, str], bool]:
    """A visibility matrix written as a table: each line `path visibility` and one mark per
    viewer, `Y` (finds it) or `.` (must not); lines starting with # are comments."""
    cells = {}
    for line in text.strip().splitlines():
        if line.lstrip().startswith("#"):
            continue
        path, visibility, *marks = line.split()
        for viewer, mark in zip(viewers, marks, strict=True):
            cells[path, visibility, viewer] = mark == "Y"
    return cells


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.05):
    """Poll until `predicate()` is truthy (background jobs finish asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            return value
        time.sleep(interval)


def create_postgres_database(admin_url: str, *, migrated: bool = True) -> str:
    """Create a fresh database beside `admin_url`'s; return its URL. `migrated`: with the
    newest schema already (a copy of `_migrated_postgres`), as `serve` would leave it."""
    name = f"zwitscher_test_{os.getpid()}_{secrets.token_hex(3)}"
    template = f' TEMPLATE "{_migrated_postgres(admin_url)}"' if migrated else ""

    async def create() -> None:
        conn = await asyncpg.connect(admin_url)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"{template}')
        finally:
            await conn.close()

    asyncio.run(create())
    return urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))


# Running all migrations on an empty database takes `serve` seconds; the tests start hundreds
# of servers. Each test process migrates one database per engine and copies it instead (the
# migrations themselves are tests/test_migrations.py's subject).
_templates: dict[str, str] = {}


def _migrated_postgres(admin_url: str) -> str:
    if admin_url not in _templates:
        url = create_postgres_database(admin_url, migrated=False)
        name = urlsplit(url).path.lstrip("/")
        _migrate({"ZWITSCHER_DATABASE_URL": url})
        _templates[admin_url] = name
        atexit.register(drop_postgres_database, url)
    return _templates[admin_url]


def seed_sqlite(env: dict[str, str]) -> None:
    """Give a server whose SQLite database does not exist yet a migrated one."""
    if "ZWITSCHER_DATABASE_URL" in env:
        return
    target = Path(env["ZWITSCHER_DATA_DIR"]) / "zwitscher.sqlite3"
    if target.exists():
        return
    if "sqlite" not in _templates:
        directory = tempfile.mkdtemp(prefix="zwitscher-template-")
        _migrate({"ZWITSCHER_DATA_DIR": directory})
        _templates["sqlite"] = directory
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(_templates["sqlite"]) / "zwitscher.sqlite3", target)


def _migrate(settings: dict[str, str]) -> None:
    env = {name: value for name, value in os.environ.items()
           if name not in ("ZWITSCHER_DATABASE_URL", "ZWITSCHER_DATA_DIR")}
    env.setdefault("ZWITSCHER_DATA_DIR", tempfile.mkdtemp(prefix="zwitscher-migrate-"))
    done = launcher.run(["migrate"], env=env | settings)
    assert done.returncode == 0, done.stderr


def drop_postgres_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))

    async def drop() -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    asyncio.run(drop())


_worker_numbers = itertools.count(1)


class WorkerProcess:
    """`zwitscher worker` with the given environment, as an operator starts one beside `serve`."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.name = f"worker-{os.getpid()}-{next(_worker_numbers)}"
        self.process: launcher.Launched | None = None

    def start(self) -> None:
        env = {**os.environ, **self.env, "PYTHONUNBUFFERED": "1"}
        seed_sqlite(env)
        self.log = open(os.path.join(self.env["ZWITSCHER_DATA_DIR"], f"{self.name}.log"), "wb")
        self.process = launcher.popen(["worker"], env=env, stdout=self.log,
                                      stderr=subprocess.STDOUT)
        running = wait_until(lambda: self.process.poll() is not None
                             or "worker running" in self.log_text(), timeout=60)
        if not running or self.process.poll() is not None:
            raise RuntimeError(f"worker did not start; see {self.log.name}")

    def kill(self) -> None:
        """Pull the plug: SIGKILL, no chance to clean up."""
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self, timeout: float = 20) -> int | None:
        """SIGTERM, as a service manager stops it; returns the exit code (None if it hung)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
                return None
        return self.process.returncode

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.stop()
        self.log.close()

    def log_text(self) -> str:
        self.log.flush()
        with open(self.log.name, "rb") as handle:
            return handle.read().decode(errors="replace")


# Timelines, filters and search as a person sees them.

def keyword(word: str, whole_word: bool = False) -> list[dict]:
    return [{"keyword": word, "whole_word": whole_word}]


def home_ids(user) -> list[str]:
    return [s["id"] for s in user.http.get("/api/v1/timelines/home").json()]


def in_home(user, status_id: str) -> dict | None:
    """Wait until the fan-out put a post in the home timeline; the entity as shown there."""
    def find():
        return next((s for s in user.http.get("/api/v1/timelines/home").json()
                     if s["id"] == status_id), None)
    return wait_until(find)


def after_fan_out(author, reader, hidden: str) -> None:
    """Post a harmless sentinel and wait for it: fan-out is in order, so by then a `hidden`
    post, had it been shown, would be in the home timeline too."""
    sentinel = author.api.status_post("Nichts Besonderes")
    assert in_home(reader, sentinel.id)
    assert hidden not in home_ids(reader)


def word() -> str:
    """A word no other status has (letters only: a number would be a separate token)."""
    return "w" + "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(10))


def found(user, q: str, **params) -> list[str]:
    """Ids of the statuses `user` finds for `q`, in the order the server gives them."""
    return [s.id for s in user.api.search_v2(q, result_type="statuses", **params).statuses]


BRANDS = "/api/zwitscher/v1/brands"


def make_brand(admin: User, users: UserFactory, *, username: str = "press",
               display_name: str = "Press office") -> tuple[dict, User, User]:
    """A brand account with two communicators as authors: Jana publishes at once (so she
    reviews), Tom's posts need approval."""
    made = admin.http.post(BRANDS, data={"username": f"{username}_{secrets.token_hex(3)}",
                                         "display_name": display_name})
    assert made.status_code == 200, made.text
    brand = made.json()
    jana = users.create(role="communicator", display_name="Jana Stuker")
    tom = users.create(role="communicator", display_name="Tom Berger")
    for person, needs in ((jana, "false"), (tom, "true")):
        granted = admin.http.post(f"{BRANDS}/{brand['id']}/authors",
                                  data={"account_id": person.id, "needs_approval": needs})
        assert granted.status_code == 200, granted.text
    return brand, jana, tom


@contextlib.contextmanager
def scim_client(server: ServerProcess, name: str) -> Iterator[httpx.Client]:
    """A company directory's SCIM client, with a token issued by `zwitscher scim token`."""
    token = server.cli("scim", "token", "--name", name).strip()
    with httpx.Client(base_url=f"{server.base_url}/scim/v2", timeout=30, headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/scim+json"}) as client:
        yield client


def run_on_fresh_database(tmp_path: Path, check) -> None:
    """Run `check(engine)` (a coroutine function) against a freshly migrated database of the
    engine the suite runs on, without a server, and drop the database afterwards."""
    admin_url = os.environ.get("ZWITSCHER_TEST_DATABASE_URL")
    database_url = create_postgres_database(admin_url) if admin_url else None
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
