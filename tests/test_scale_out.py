"""Scale-out mode: several web processes and `zwitscher worker`s sharing PostgreSQL and Redis.

The module runs on a database of its own, so that no other server's in-process job runner
claims the jobs these tests hold up or count. Web processes A and B leave jobs to workers
(`ZWITSCHER_RUN_JOBS_IN_PROCESS=false`); each test starts the workers it needs and stops them.
To catch a job mid-run, a test locks `home_feed` from its own connection: the fan-out job then
waits on its insert until the test lets go. Workers hold a job's lease for 2 s only, so a job
of a dead worker is claimed again quickly.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import asyncpg
import httpx
import pytest

from conftest import TEST_DATABASE_URL, TEST_REDIS_URL
from streams import SseStream
from support import (
    UNLIMITED,
    ServerProcess,
    UserFactory,
    WorkerProcess,
    create_postgres_database,
    drop_postgres_database,
    fresh_instance,
    wait_until,
)

pytestmark = pytest.mark.skipif(
    not (TEST_DATABASE_URL and TEST_REDIS_URL),
    reason="scale-out needs PostgreSQL and Redis: set ZWITSCHER_TEST_DATABASE_URL and "
           "ZWITSCHER_TEST_REDIS_URL")

WAIT = 20.0
LEASE_SECONDS = "2"


@pytest.fixture(scope="module")
def scale_env(tmp_path_factory):
    url = create_postgres_database(TEST_DATABASE_URL)
    yield {"ZWITSCHER_DATA_DIR": str(tmp_path_factory.mktemp("scale")),
           "ZWITSCHER_DATABASE_URL": url, "ZWITSCHER_REDIS_URL": TEST_REDIS_URL,
           "ZWITSCHER_RUN_JOBS_IN_PROCESS": "false", **UNLIMITED,
           "ZWITSCHER_JOB_LEASE_SECONDS": LEASE_SECONDS}
    drop_postgres_database(url)


@pytest.fixture(scope="module")
def web_a(scale_env):
    process = ServerProcess(scale_env)
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def web_b(scale_env):
    process = ServerProcess(scale_env)
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def people(web_a):
    """Signs people up through A; their `.http` talks to A, `through(web_b, person)` to B."""
    return UserFactory(web_a)


@pytest.fixture
def start_worker(scale_env):
    started: list[WorkerProcess] = []

    def start() -> WorkerProcess:
        worker = WorkerProcess(scale_env)
        started.append(worker)
        worker.start()
        return worker

    yield start
    for worker in started:
        worker.close()


@pytest.fixture
def streams():
    opened: list[SseStream] = []

    def open_stream(server, person) -> SseStream:
        stream = SseStream(server.base_url, "/api/v1/streaming/user", person.token, {}, wait=WAIT)
        opened.append(stream)
        return stream

    yield open_stream
    for stream in opened:
        stream.close()


def through(server, person) -> httpx.Client:
    """The same signed-in person, talking to another web process."""
    return httpx.Client(base_url=server.base_url, headers=person.headers(), timeout=30)


def post(client: httpx.Client, text: str) -> dict:
    response = client.post("/api/v1/statuses", data={"status": text})
    assert response.status_code == 200, response.text
    return response.json()


def follow(follower, target, *, notify: bool = False) -> None:
    follower.http.post(f"/api/v1/accounts/{target.id}/follow",
                       data={"notify": "true" if notify else "false"}).raise_for_status()


def home_ids(person) -> list[str]:
    response = person.http.get("/api/v1/timelines/home", params={"limit": 40})
    response.raise_for_status()
    return [status["id"] for status in response.json()]


def status_notifications(person) -> list[str]:
    response = person.http.get("/api/v1/notifications",
                               params={"types[]": "status", "limit": 40})
    response.raise_for_status()
    return [n["status"]["id"] for n in response.json()]


def about(status: dict):
    return lambda data: json.loads(data)["id"] == status["id"]


def fan_out_job(status_id: str) -> str:
    """The query for (state, attempts) of the status's fan-out job; no row once it is done."""
    return f"""SELECT state, attempts FROM jobs WHERE kind = 'status.fan_out'
               AND payload->>'status_id' = '{int(status_id)}'"""


async def _poll(conn, query: str, check, timeout: float = WAIT):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        row = await conn.fetchrow(query)
        if check(row) or asyncio.get_running_loop().time() > deadline:
            return row
        await asyncio.sleep(0.05)


def query_row(url: str, query: str):
    async def fetch():
        conn = await asyncpg.connect(url)
        try:
            return await conn.fetchrow(query)
        finally:
            await conn.close()

    return asyncio.run(fetch())


# Connections whose statement waits for a lock on `home_feed` (held by `hold_home_feed_lock`).
HOME_FEED_LOCK_WAITERS = """SELECT count(*) AS waiting FROM pg_locks
    WHERE relation = 'home_feed'::regclass AND NOT granted"""


def hold_home_feed_lock(url: str, during) -> None:
    """Run `during(conn)` while this connection keeps every insert into `home_feed` waiting
    (reads go on); then let go by rolling back."""
    async def scenario():
        conn = await asyncpg.connect(url)
        try:
            transaction = conn.transaction()
            await transaction.start()
            await conn.execute("LOCK TABLE home_feed IN EXCLUSIVE MODE")
            try:
                await during(conn)
            finally:
                await transaction.rollback()
        finally:
            await conn.close()

    asyncio.run(scenario())


def test_post_and_favourite_through_one_web_process_reach_a_stream_on_another(
        web_a, web_b, people, start_worker, streams):
    start_worker()
    alice, bob = people.create(), people.create()
    follow(alice, bob)
    stream = streams(web_a, alice)

    status = post(through(web_b, bob), "posted through B, read on A")
    stream.wait_for("update", about(status))

    mine = post(alice.http, "alice writes through A")
    through(web_b, bob).post(f"/api/v1/statuses/{mine['id']}/favourite").raise_for_status()
    notification = json.loads(stream.wait_for("notification"))
    assert notification["type"] == "favourite"
    assert notification["account"]["id"] == bob.id
    assert notification["status"]["id"] == mine["id"]

    assert status["id"] in home_ids(alice)


def test_serve_with_two_web_processes_on_one_port_answers_and_streams(scale_env):
    server = ServerProcess(scale_env | {"ZWITSCHER_RUN_JOBS_IN_PROCESS": "true"},
                           args=("--workers", "2"))
    server.start()
    opened: list[SseStream] = []
    try:
        assert wait_until(lambda: server.log_text().count("Application startup complete") == 2)
        factory = UserFactory(server)
        alice, bob = factory.create(), factory.create()
        follow(alice, bob)
        for _ in range(10):
            assert bob.http.get("/api/v1/accounts/verify_credentials").status_code == 200
            assert alice.http.get("/api/v1/timelines/home").status_code == 200
        # Connections land on either process; every one of them must hear the post.
        opened += [SseStream(server.base_url, "/api/v1/streaming/user", alice.token, {}, wait=WAIT)
                   for _ in range(4)]
        status = post(bob.http, "one port, two processes")
        for stream in opened:
            stream.wait_for("update", about(status))
        assert wait_until(lambda: status["id"] in home_ids(alice))
    finally:
        for stream in opened:
            stream.close()
        server.stop()


def test_job_of_a_killed_worker_is_finished_once_by_the_next_worker(
        scale_env, web_a, people, start_worker):
    url = scale_env["ZWITSCHER_DATABASE_URL"]
    alice, bob = people.create(), people.create()
    follow(alice, bob, notify=True)
    status = post(bob.http, "outlives its first worker")
    job = fan_out_job(status["id"])
    assert query_row(url, job)["state"] == "queued"  # no worker is running yet

    async def kill_the_worker_mid_job(conn) -> None:
        first = await asyncio.to_thread(start_worker)
        claimed = await _poll(conn, job, lambda row: row["state"] == "running")
        assert tuple(claimed) == ("running", 1)
        await asyncio.to_thread(first.kill)
        await asyncio.to_thread(start_worker)
        # Once the dead worker's lease has run out, the next worker claims the job again.
        again = await _poll(conn, job, lambda row: row["attempts"] == 2)
        assert tuple(again) == ("running", 2)
        assert status["id"] not in await asyncio.to_thread(home_ids, alice)

    hold_home_feed_lock(url, kill_the_worker_mid_job)

    assert wait_until(lambda: status["id"] in home_ids(alice), WAIT)
    assert wait_until(lambda: query_row(url, job) is None, WAIT)
    assert home_ids(alice).count(status["id"]) == 1
    assert status_notifications(alice) == [status["id"]]


def test_worker_told_to_stop_finishes_the_job_at_hand_and_exits_cleanly(
        scale_env, web_a, people, start_worker):
    url = scale_env["ZWITSCHER_DATABASE_URL"]
    alice, bob = people.create(), people.create()
    follow(alice, bob)
    status = post(bob.http, "delivered although the worker was stopping")
    job = fan_out_job(status["id"])
    exit_codes = []

    async def stop_the_worker_mid_job(conn) -> None:
        worker = await asyncio.to_thread(start_worker)
        assert (await _poll(conn, job, lambda row: row["state"] == "running"))["attempts"] == 1
        # Claimed is not yet at hand (a worker stopping between the two hands the job back):
        # wait until the job itself waits for our lock.
        assert (await _poll(conn, HOME_FEED_LOCK_WAITERS, lambda row: row["waiting"] > 0)
                )["waiting"] > 0
        threading.Thread(target=lambda: exit_codes.append(worker.stop()), daemon=True).start()
        # It has taken the signal while its job waits for our lock; now it must let it finish.
        assert await asyncio.to_thread(
            wait_until, lambda: "worker stopping" in worker.log_text(), WAIT)

    hold_home_feed_lock(url, stop_the_worker_mid_job)

    assert wait_until(lambda: exit_codes, WAIT) == [0]
    assert query_row(url, job) is None
    assert status["id"] in home_ids(alice)


def test_two_workers_run_each_job_once(scale_env, web_a, web_b, people, start_worker):
    start_worker()
    start_worker()
    author = people.create()
    followers = [people.create() for _ in range(4)]
    notified, quiet = followers[:2], followers[2:]
    for follower in followers:
        follow(follower, author, notify=follower in notified)

    clients = [author.http, through(web_b, author)]
    # Posted in bursts, through both web processes, so both workers find jobs due at once.
    with ThreadPoolExecutor(6) as pool:
        posted = list(pool.map(lambda n: post(clients[n % 2], f"post {n} of 30")["id"],
                               range(30)))
    ids = ", ".join(f"'{int(i)}'" for i in posted)
    left = f"""SELECT count(*) FROM jobs WHERE kind = 'status.fan_out'
               AND payload->>'status_id' IN ({ids})"""
    assert wait_until(lambda: query_row(scale_env["ZWITSCHER_DATABASE_URL"], left)[0] == 0, WAIT)

    for follower in followers:
        assert Counter(home_ids(follower)) == Counter(posted)
    for follower in notified:
        assert Counter(status_notifications(follower)) == Counter(posted)
    for follower in quiet:
        assert status_notifications(follower) == []


def test_streams_opened_all_at_once_on_a_fresh_process_all_hear_the_post(
        scale_env, web_b, people, start_worker, streams):
    """The first subscriptions of a process race to open its Redis connection; none of the
    streams opened in that rush may end up deaf."""
    start_worker()
    author = people.create()
    readers = [people.create() for _ in range(30)]
    for reader in readers:
        follow(reader, author)
    fresh = ServerProcess(scale_env)
    fresh.start()
    try:
        with ThreadPoolExecutor(max_workers=len(readers)) as pool:
            opened = list(pool.map(lambda reader: streams(fresh, reader), readers))
        status = post(through(web_b, author), "to everyone, at once")
        for stream in opened:
            stream.wait_for("update", about(status))
    finally:
        fresh.stop()


def test_two_instances_sharing_one_redis_never_hear_each_other(users, tmp_path):
    """The suite's server and an instance of its own use the same Redis server."""
    with fresh_instance(tmp_path) as other:
        reader = UserFactory(other).create()
        stream = SseStream(other.base_url, "/api/v1/streaming/public", reader.token, {},
                           wait=WAIT)
        try:
            elsewhere = users.create().api.status_post("Posted on another instance")
            here = UserFactory(other).create().api.status_post("Posted on this instance")
            stream.wait_for("update", lambda data: json.loads(data)["id"] == here.id)
            assert elsewhere.id not in stream.status_ids()
        finally:
            stream.close()
