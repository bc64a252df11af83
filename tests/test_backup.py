"""An organisation backs its instance up while people use it, and restores it elsewhere: the
same people, posts, follows, images and passwords, as of one moment (docs/backup.md)."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import tarfile
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import httpx
import launcher
import orjson
import pytest

from zwitscher.backup.postgres import connection
from zwitscher.settings import Settings

from media_support import image_bytes
from support import (
    PASSWORD,
    UNLIMITED,
    ServerProcess,
    User,
    UserFactory,
    create_postgres_database,
    drop_postgres_database,
    fresh_instance,
    wait_until,
)

ADMIN_URL = os.environ.get("ZWITSCHER_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("ZWITSCHER_TEST_REDIS_URL")


def zwitscher(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return launcher.run(list(args), env={**os.environ, **env})


def new_target(data_dir: Path) -> dict[str, str]:
    """Settings for an instance to restore into: a data directory and, on PostgreSQL, a
    fresh database (dropped by `drop_target`)."""
    env = {"ZWITSCHER_DATA_DIR": str(data_dir), **UNLIMITED}
    if ADMIN_URL:
        env["ZWITSCHER_DATABASE_URL"] = create_postgres_database(ADMIN_URL, migrated=False)
        if REDIS_URL:
            env["ZWITSCHER_REDIS_URL"] = REDIS_URL
    return env


def drop_target(env: dict[str, str]) -> None:
    if "ZWITSCHER_DATABASE_URL" in env:
        drop_postgres_database(env["ZWITSCHER_DATABASE_URL"])


def tables(env: dict[str, str]) -> set[str]:
    async def names() -> set[str]:
        conn = await asyncpg.connect(env["ZWITSCHER_DATABASE_URL"])
        try:
            return {row[0] for row in await conn.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        finally:
            await conn.close()

    return asyncio.run(names()) if "ZWITSCHER_DATABASE_URL" in env else set()


def rewritten(archive: Path, target: Path, change) -> Path:
    """A copy of `archive` whose members' contents went through `change(name, data)`."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as copy:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


@dataclass
class World:
    ada: User
    bo: User
    statuses: dict[str, list[tuple[str, str]]]  # username -> [(id, content)], newest first
    following: dict[str, list[str]]
    image_path: str
    image: bytes
    client: tuple[str, str]  # the app the people signed in with
    archive: Path
    manifest: dict
    env: dict[str, str]  # the restored instance's settings
    restored: ServerProcess


def statuses_of(base_url: str, account_id: str) -> list[tuple[str, str]]:
    """All of an account's statuses, newest first, page by page."""
    found, params = [], {"limit": 40}
    while page := httpx.get(f"{base_url}/api/v1/accounts/{account_id}/statuses",
                            params=params).json():
        found += [(status["id"], status["content"]) for status in page]
        params["max_id"] = page[-1]["id"]
    return found


def in_home(base_url: str, user: User, status_id: str) -> bool:
    """Whether the status is in the person's home timeline (asked for right where it would
    be: the people here post a lot)."""
    page = httpx.get(f"{base_url}/api/v1/timelines/home", headers=user.headers(),
                     params={"max_id": str(int(status_id) + 1), "limit": 1}).json()
    return [status["id"] for status in page] == [status_id]


def following_of(base_url: str, account_id: str) -> list[str]:
    return sorted(account["id"] for account in httpx.get(
        f"{base_url}/api/v1/accounts/{account_id}/following").json())


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    """An instance with people, posts, an image and follows, backed up while Bo keeps posting;
    then stopped, and restored into a new data directory (or database) that a server runs on."""
    base = tmp_path_factory.mktemp("backup")
    with fresh_instance(tmp_path_factory.mktemp("original")) as original:
        users = UserFactory(original)
        ada, bo = users.create(), users.create()
        media = ada.api.media_post(image_bytes("PNG", (64, 48), color=(10, 120, 200)),
                                   mime_type="image/png")
        pictured = ada.api.status_post("Das neue Werk in Ulm", media_ids=[media.id])
        ada.api.status_post("Zweiter Beitrag")
        bo.api.account_follow(ada.id)
        ada.api.account_follow(bo.id)
        image_path = urlsplit(pictured.media_attachments[0].url).path
        image = httpx.get(original.base_url + image_path).content

        ticks, failures, stop = [], [], threading.Event()

        def keep_posting() -> None:
            with httpx.Client(base_url=original.base_url, headers=bo.headers(),
                              timeout=30) as http:
                while not stop.is_set() and not failures:
                    posted = http.post("/api/v1/statuses", data={"status": f"tick {len(ticks)}"})
                    (ticks if posted.status_code == 200 else failures).append(posted.text)

        poster = threading.Thread(target=keep_posting)
        poster.start()
        try:
            assert wait_until(lambda: len(ticks) >= 3 or failures)
            archive = base / "instance.tar.gz"
            made = zwitscher(original.env, "backup", str(archive))
        finally:
            stop.set()
            poster.join()
        assert made.returncode == 0, made.stderr
        assert not failures, failures
        people = {"ada": ada, "bo": bo}
        statuses = {name: statuses_of(original.base_url, person.id)
                    for name, person in people.items()}
        following = {name: following_of(original.base_url, person.id)
                     for name, person in people.items()}
        # After the backup, Bo stops following Ada and reads his home timeline (scaled out,
        # Redis holds it now): the restored instance must not take his feed from there.
        assert wait_until(lambda: in_home(original.base_url, bo, pictured.id))
        bo.api.account_unfollow(ada.id)
        assert wait_until(lambda: not in_home(original.base_url, bo, pictured.id))
    # The original is stopped before the copy starts: on one Redis both would have one name.
    with tarfile.open(archive) as tar:
        manifest = orjson.loads(tar.extractfile("manifest.json").read())
    env = new_target(base / "restored")
    restored = ServerProcess(env)
    try:
        done = zwitscher(env, "restore", str(archive))
        assert done.returncode == 0, done.stderr
        assert ("keys that Redis held for this instance" in done.stdout) == bool(REDIS_URL
                                                                                and ADMIN_URL)
        restored.start()
        yield World(ada, bo, statuses, following, image_path, image,
                    (users.client_id, users.client_secret), archive, manifest, env, restored)
    finally:
        if restored.process is not None:
            restored.stop()
        drop_target(env)


def test_the_restored_instance_has_the_same_people_posts_follows_and_images(world):
    url = world.restored.base_url
    for person in (world.ada, world.bo):
        found = httpx.get(f"{url}/api/v1/accounts/lookup", params={"acct": person.username})
        assert found.status_code == 200 and found.json()["id"] == person.id
    assert statuses_of(url, world.ada.id) == world.statuses["ada"]
    assert [text for _, text in world.statuses["ada"]] == [
        "<p>Zweiter Beitrag</p>", "<p>Das neue Werk in Ulm</p>"]
    assert following_of(url, world.ada.id) == world.following["ada"] == [world.bo.id]
    assert following_of(url, world.bo.id) == world.following["bo"] == [world.ada.id]
    served = httpx.get(url + world.image_path)
    assert served.status_code == 200 and served.content == world.image


def test_home_timelines_show_what_the_backup_holds_not_what_came_after(world):
    pictured = world.statuses["ada"][-1][0]
    assert in_home(world.restored.base_url, world.bo, pictured)


def test_a_backup_taken_while_people_post_holds_one_moment(world):
    url = world.restored.base_url
    restored = statuses_of(url, world.bo.id)
    ticks = [text for _, text in reversed(restored)]
    # Bo's posts up to some moment, each whole, none after it: and the moment came after the
    # three posts made before the backup started, and no later than the last one.
    assert len(ticks) >= 3
    assert ticks == [f"<p>tick {n}</p>" for n in range(len(ticks))]
    assert set(restored) <= set(world.statuses["bo"])
    bo = httpx.get(f"{url}/api/v1/accounts/{world.bo.id}").json()
    assert bo["statuses_count"] == len(ticks)
    # The manifest's counts are the restored database's.
    stats = httpx.get(f"{url}/api/v1/instance").json()["stats"]
    assert world.manifest["counts"]["users"] == stats["user_count"]
    assert world.manifest["counts"]["statuses"] == stats["status_count"] == len(ticks) + 2
    assert world.manifest["counts"]["follows"] == 2


def test_people_sign_in_with_their_passwords_after_a_restore(world):
    client_id, client_secret = world.client
    signed_in = httpx.post(f"{world.restored.base_url}/oauth/token", data={
        "grant_type": "password", "username": world.ada.email, "password": PASSWORD,
        "client_id": client_id, "client_secret": client_secret, "scope": "read"})
    assert signed_in.status_code == 200, signed_in.text
    me = httpx.get(f"{world.restored.base_url}/api/v1/accounts/verify_credentials",
                   headers={"Authorization": f"Bearer {signed_in.json()['access_token']}"})
    assert me.json()["username"] == world.ada.username


def test_restore_refuses_a_target_that_holds_data(world, tmp_path):
    refused = zwitscher(world.env, "restore", str(world.archive))
    assert refused.returncode == 1 and "is not empty" in refused.stderr
    assert "--force" in refused.stderr
    if "ZWITSCHER_DATABASE_URL" in world.env:
        # A new media folder, but the database holds the instance.
        refused = zwitscher({**world.env, "ZWITSCHER_DATA_DIR": str(tmp_path)}, "restore",
                            str(world.archive))
        assert refused.returncode == 1, refused.stdout
        assert "database of ZWITSCHER_DATABASE_URL is not empty" in refused.stderr
    assert statuses_of(world.restored.base_url, world.ada.id) == world.statuses["ada"]


def test_restore_refuses_a_backup_made_by_a_newer_zwitscher(world, tmp_path):
    def from_the_future(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        return orjson.dumps({**orjson.loads(data), "schema_revision": "9999",
                             "zwitscher_version": "9.0.0"})

    future = rewritten(world.archive, tmp_path / "future.tar", from_the_future)
    env = new_target(tmp_path / "data")
    try:
        refused = zwitscher(env, "restore", str(future))
        assert refused.returncode == 1, refused.stdout
        assert "schema revision 9999" in refused.stderr and "9.0.0" in refused.stderr
        assert sorted(path.name for path in tmp_path.iterdir()) == ["future.tar"]
        assert tables(env) == set()
    finally:
        drop_target(env)


def test_a_damaged_archive_is_refused_and_the_target_left_as_it_was(world, tmp_path):
    data = world.archive.read_bytes()
    cut_short = tmp_path / "cut.tar.gz"
    cut_short.write_bytes(data[:len(data) // 2])

    def flipped(name: str, content: bytes) -> bytes:
        if not name.startswith("database/"):
            return content
        middle = len(content) // 2
        return content[:middle] + bytes([content[middle] ^ 0xFF]) + content[middle + 1:]

    bit_rot = rewritten(world.archive, tmp_path / "rot.tar", flipped)
    target = tmp_path / "data"
    target.mkdir()
    (target / "keep.txt").write_text("the operator's")
    env = new_target(target)
    try:
        if "ZWITSCHER_DATABASE_URL" in env:
            asyncio.run(_make_table(env["ZWITSCHER_DATABASE_URL"]))
        for archive, complaint in ((cut_short, "damaged"),
                                   (bit_rot, "does not match its checksum")):
            refused = zwitscher(env, "restore", "--force", str(archive))
            assert refused.returncode == 1, refused.stdout
            assert complaint in refused.stderr and "Traceback" not in refused.stderr
            assert [path.name for path in target.iterdir()] == ["keep.txt"]
            assert sorted(path.name for path in tmp_path.iterdir()) == [
                "cut.tar.gz", "data", "rot.tar"]
            assert tables(env) == ({"keep"} if "ZWITSCHER_DATABASE_URL" in env else set())
    finally:
        drop_target(env)


async def _make_table(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE TABLE keep (note text)")
    finally:
        await conn.close()


def test_the_database_password_is_never_on_a_command_line():
    settings = Settings(database_url="postgresql://zw:s%3Acret@db.example.org:5433/zw"
                                     "?sslmode=require")
    database = connection(settings)
    assert database.url == "postgresql://zw@db.example.org:5433/zw?sslmode=require"
    assert database.env["PGPASSWORD"] == "s:cret"
