"""Durability: the server and the job workers are killed (SIGKILL) in the middle of a posting
load and started again on the same database; nothing acknowledged is lost, nothing is doubled.

What each part may promise across a crash, and what is checked:
- A post answered with 200 is stored, exactly once, and reaches every follower's home timeline
  and their `status` notifications (they follow with `notify`) exactly once after the restart.
  A post whose request got no answer may or may not exist: its app sends it again with the same
  `Idempotency-Key` once the server is back and gets that one post, never a second (also
  while the first request still runs).
- Live streams are live, not a log: an event is published once, after the fan-out commits (so
  no stream shows what a rollback took back). A client connected while a post's fan-out
  commits receives it exactly once. Across a crash this means: a client of a web process that
  survives (scaled out) receives, exactly once, every post whose fan-out was still queued when
  the workers died and every post of the restarted deployment; a client whose server died
  reconnects and receives every post of the restarted deployment exactly once. A post whose
  fan-out committed in the instant before the kill may miss the live streams (the event died
  with the worker); its followers have it in their home timelines, where apps look when they
  reconnect. No stream ever shows a post twice.
- A scheduled post due while everything is down is published exactly once after the restart;
  a poll that ends while everything is down is closed after it, and its author and voters are
  told exactly once.
- A Web Push queued when the worker died (its push service refused it once, it waits for its
  retry) is delivered after the restart, exactly once. One that was on its way (the push
  service had the request, the worker no answer yet) is sent again: the worker cannot know
  whether it arrived, so pushes are at least once.
- Scaled out, home feeds held in Redis get a post whose fan-out committed just before its
  worker died (a test of its own: Redis is paused to catch that moment).

Which fan-outs were still queued at the crash is read from the jobs table while no job runner
is alive; everything else is observed through the client API as apps see it.

Topologies: on SQLite one `serve` running the jobs in process, and `serve` beside a separate
`zwitscher worker` (whose events reach no stream: without Redis each process has its own
broker); on PostgreSQL + Redis web process A (taking the posts, killed), web process B
(serving the streams, surviving) and a worker (killed), with a Redis server of their own
(tests pause it). Leases last 2 s, so the restarted workers claim again what the dead ones
held.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from durability_support import (
    Deployment,
    PostingLoad,
    every_page,
    pull_the_plug,
    redis_of_our_own,
    twice,
    url_of,
)

from conftest import TEST_DATABASE_URL, TEST_REDIS_URL
from push_support import HANG, decrypt, pushes, subscribe
from streams import SseStream
from support import (
    CHEAP_PASSWORDS,
    UNLIMITED,
    ServerProcess,
    UserFactory,
    WorkerProcess,
    create_postgres_database,
    drop_postgres_database,
    wait_until,
)

TOPOLOGIES = ["postgres-web-web-worker"] if TEST_DATABASE_URL else [
    "sqlite-serve", "sqlite-serve-worker"]
ACKNOWLEDGED_BEFORE_KILL = 40
ACKNOWLEDGED_AFTER_RESTART = 20
# Long enough for the last requests before the kill (a poll, two votes, a move, two mentions
# and their pushes), so that the poll ends and the scheduled post falls due while all is down.
DUE_AFTER_SECONDS = 3
WAIT = 60.0


@pytest.fixture(scope="module", params=TOPOLOGIES)
def deployment(request, tmp_path_factory):
    env = {"ZWITSCHER_DATA_DIR": str(tmp_path_factory.mktemp(request.param)), **UNLIMITED,
           **CHEAP_PASSWORDS, "ZWITSCHER_JOB_LEASE_SECONDS": "2",
           "ZWITSCHER_SCHEDULE_MIN_LEAD_SECONDS": "0", "ZWITSCHER_POLL_MIN_EXPIRES_SECONDS": "1",
           "ZWITSCHER_PUSH_ALLOW_HTTP": "true"}
    with contextlib.ExitStack() as stack:
        if request.param == "postgres-web-web-worker":
            if not TEST_REDIS_URL:
                pytest.skip("scaled out needs Redis: set ZWITSCHER_TEST_REDIS_URL")
            own_redis = stack.enter_context(redis_of_our_own(tmp_path_factory.mktemp("redis")))
            database_url = create_postgres_database(TEST_DATABASE_URL)
            stack.callback(drop_postgres_database, database_url)
            env |= {"ZWITSCHER_DATABASE_URL": database_url,
                    "ZWITSCHER_REDIS_URL": url_of(own_redis) if own_redis else TEST_REDIS_URL,
                    "ZWITSCHER_RUN_JOBS_IN_PROCESS": "false"}
            deployment = Deployment("PostgreSQL: web A + web B + worker", env,
                                    ServerProcess(env), ServerProcess(env),
                                    [WorkerProcess(env)], redis=own_redis)
        elif request.param == "sqlite-serve-worker":
            env |= {"ZWITSCHER_RUN_JOBS_IN_PROCESS": "false"}
            front = ServerProcess(env)
            deployment = Deployment("SQLite: serve + worker", env, front, front,
                                    [WorkerProcess(env)], live_streams=False)
        else:
            front = ServerProcess(env)
            deployment = Deployment("SQLite: serve", env, front, front)
        stack.callback(deployment.stop)
        deployment.start()
        yield deployment


def follow_with_notifications(reader, author) -> None:
    reader.http.post(f"/api/v1/accounts/{author.id}/follow",
                     data={"notify": "true"}).raise_for_status()


def on(server: ServerProcess, person) -> httpx.Client:
    return httpx.Client(base_url=server.base_url, headers=person.headers(), timeout=30)


def post_with_key(author, text: str, *, key: str) -> str:
    response = author.http.post("/api/v1/statuses", data={"status": text},
                                headers={"Idempotency-Key": key})
    assert response.status_code == 200, response.text
    return response.json()["id"]


def home_ids(person) -> list[str]:
    return [s["id"] for s in every_page(person.http, "/api/v1/timelines/home", limit=40)]


def notified_status_ids(person, type: str) -> list[str]:
    return [n["status"]["id"] for n in every_page(person.http, "/api/v1/notifications",
                                                  **{"types[]": type, "limit": 80})]


def user_stream(server: ServerProcess, person) -> SseStream:
    return SseStream(server.base_url, "/api/v1/streaming/user", person.token, {}, wait=WAIT)


def eventually_all(read, expected: set[str]) -> list[str]:
    """What `read()` returns once it holds all of `expected` (or at the end of the wait)."""
    return wait_until(lambda: (ids := read()) and expected <= set(ids) and ids, WAIT) or read()


def test_nothing_acknowledged_is_lost_or_doubled_when_server_and_workers_are_killed(
        deployment, push_service):
    started = time.monotonic()
    people = UserFactory(deployment.front)
    authors = [people.create() for _ in range(3)]
    readers = [people.create() for _ in range(2)]
    bob, dora = people.create(), people.create()
    for reader in readers:
        for author in authors:
            follow_with_notifications(reader, author)
        # Their home feeds are read (and so held by the feed store) before the load.
        on(deployment.streams, reader).get("/api/v1/timelines/home").raise_for_status()
    queued_push = subscribe(bob, push_service, answers=(503, 201), mention_events=True)
    sent_push = subscribe(dora, push_service, answers=(HANG, 201), mention_events=True)
    scheduled = authors[1].api.status_post("Geplant, fällig während des Ausfalls",
                                           scheduled_at=datetime.now(UTC) + timedelta(hours=1))
    answered = post_with_key(authors[2], "Vor dem Absturz beantwortet", key="answered")
    before = user_stream(deployment.streams, readers[0])

    load = PostingLoad(authors, deployment.front.base_url)
    load.start()
    assert wait_until(lambda: len(load.acknowledged()) >= ACKNOWLEDGED_BEFORE_KILL, WAIT)

    # The last moments before the crash: a poll ending and a scheduled post falling due while
    # everything is down, a push on its way (its push service never answers), and a push
    # waiting in the queue (refused once, it is due again in 2 s).
    poll_status = authors[0].api.status_post(
        "Kantine oder Pizza?", poll=authors[0].api.make_poll(["Kantine", "Pizza"],
                                                               expires_in=DUE_AFTER_SECONDS))
    for reader in readers:
        reader.api.poll_vote(poll_status["poll"]["id"], [1])
    due = datetime.now(UTC) + timedelta(seconds=DUE_AFTER_SECONDS)
    authors[1].api.scheduled_status_update(scheduled["id"], due)
    authors[0].api.status_post(f"@{dora.username} Bitte bestätigen")
    assert pushes(push_service, sent_push)
    authors[2].api.status_post(f"@{bob.username} Bitte lesen")
    assert pushes(push_service, queued_push)

    load.server_down()
    deployment.kill()
    killed_at = datetime.now(UTC)
    queued_at_kill = deployment.queued_fan_outs()
    assert wait_until(lambda: datetime.now(UTC) > due + timedelta(seconds=0.5), WAIT)
    deployment.start_again()
    surviving_stream = deployment.streams is not deployment.front
    after = before if surviving_stream else user_stream(deployment.streams, readers[0])
    load.server_back()
    # An app that got its answer but sends the post again gets the same post.
    assert post_with_key(authors[2], "Vor dem Absturz beantwortet", key="answered") == answered
    assert wait_until(lambda: len(load.acknowledged(in_life=1)) >= ACKNOWLEDGED_AFTER_RESTART,
                      WAIT)
    load.finish()
    assert load.refusals == []

    # Stored: every post at most once, every acknowledged one. Apps that got no answer sent
    # theirs again; some had been stored before the crash.
    acknowledged = {attempt.status["id"]: attempt for attempt in load.acknowledged()}
    sent_again = [attempt for attempt in acknowledged.values() if attempt.tries > 1]
    stored_before_crash = [attempt for attempt in sent_again if datetime.fromisoformat(
        attempt.status["created_at"].replace("Z", "+00:00")) < killed_at]
    assert wait_until(lambda: authors[1].http.get("/api/v1/scheduled_statuses").json() == [],
                      WAIT)
    statuses = [status for author in authors for status in every_page(
        author.http, f"/api/v1/accounts/{author.id}/statuses", limit=40)]
    posted = [status for status in statuses if "Dauerhaft" in status["content"]]
    duplicated = twice(status["content"] for status in posted)
    assert {status["id"] for status in posted} >= set(acknowledged)
    published = [status for status in statuses if "Geplant" in status["content"]]
    assert len(published) == 1

    # Fanned out: in every follower's home timeline and `status` notifications, once.
    must_reach = set(acknowledged) | {published[0]["id"]}
    homes = []
    for reader in readers:
        home = eventually_all(lambda reader=reader: home_ids(reader), must_reach)
        assert must_reach <= set(home), f"not in the home timeline: {must_reach - set(home)}"
        notified = eventually_all(lambda reader=reader: notified_status_ids(reader, "status"),
                                  must_reach)
        assert must_reach <= set(notified), f"not notified: {must_reach - set(notified)}"
        duplicated += twice(home) + twice(notified)
        homes.append(len(set(home) & must_reach))

    # The poll ended while everything was down: closed, and each person told once.
    poll = authors[0].api.poll(poll_status["poll"]["id"])
    assert poll["expired"] and poll["votes_count"] == 2
    for person in [authors[0], *readers]:
        told = wait_until(lambda person=person: notified_status_ids(person, "poll"), WAIT)
        assert set(told) == {poll_status["id"]}
        duplicated += twice(told)

    # Pushes: the queued one refused once, then delivered once; the one on its way sent again.
    to_bob = pushes(push_service, queued_push, count=2)
    mention = bob.api.notifications(types=["mention"])[0]
    assert [decrypt(bob, queued_push, push)["notification_id"] for push in to_bob] == \
        [str(mention["id"])] * 2
    to_dora = pushes(push_service, sent_push, count=2)
    assert {decrypt(dora, sent_push, push)["notification_id"] for push in to_dora} == \
        {str(dora.api.notifications(types=["mention"])[0]["id"])}

    # Streamed: never twice; exactly once what was fanned out while the stream listened.
    if deployment.live_streams:
        fanned_out_later = {attempt.status["id"] for attempt in load.acknowledged(in_life=1)}
        if surviving_stream:
            fanned_out_later |= queued_at_kill & set(acknowledged) | {published[0]["id"]}
        streamed_after = eventually_all(after.status_ids, fanned_out_later)
        assert fanned_out_later <= set(streamed_after)
    streams = [before] if after is before else [before, after]
    streamed = {status_id for stream in streams for status_id in stream.status_ids()}
    for stream in streams:
        duplicated += twice(stream.status_ids())
        stream.close()
    assert streamed <= {status["id"] for status in statuses}

    logs = deployment.logs()
    assert "Traceback" not in logs, logs[logs.index("Traceback") - 2000:][:6000]
    assert duplicated == []
    print(f"\n{deployment.name}: acknowledged {len(acknowledged)} "
          f"({len(load.acknowledged(in_life=0))} before the kill, "
          f"{len(load.acknowledged(in_life=1))} after), sent again {len(sent_again)} "
          f"(stored before the crash {len(stored_before_crash)}), stored {len(posted)}, "
          f"fan-outs queued at the kill {len(queued_at_kill)}, in each home {homes} of "
          f"{len(must_reach)}, streamed {len(streamed & must_reach)} (not live "
          f"{len(must_reach - streamed)}), scheduled published {len(published)}, poll "
          f"notices {len(readers) + 1}, pushes: queued {len(to_bob)} (1 refused, 1 "
          f"delivered), on its way {len(to_dora)}, duplicated {len(duplicated)}, "
          f"in {time.monotonic() - started:.0f} s")


@pytest.mark.skipif(not (TEST_DATABASE_URL and TEST_REDIS_URL),
                    reason="home feeds are held in Redis when scaled out")
def test_a_fan_out_that_committed_just_before_its_worker_died_reaches_the_held_feeds(
        deployment):
    """Scaled out, home feeds are held in Redis and told of each change. A worker killed after
    its fan-out committed (its job row gone) and before Redis heard of it would leave the
    followers' held feeds without the post until they expire, an hour later. Here Redis holds
    every write (`CLIENT PAUSE ... WRITE`) while the worker runs one fan-out, and the worker is
    killed once its job is gone from the queue, or after two seconds if it never goes: then the
    worker waits on Redis before its commit, and the job runs again after the restart."""
    if deployment.redis is None:
        pytest.skip("needs a Redis server of the test's own (redis-server) to pause")
    people = UserFactory(deployment.front)
    author, reader = people.create(), people.create()
    reader.http.post(f"/api/v1/accounts/{author.id}/follow").raise_for_status()
    reader.http.get("/api/v1/timelines/home").raise_for_status()
    worker = deployment.workers[0]
    worker.process.send_signal(signal.SIGSTOP)
    status = author.api.status_post("Kurz vor dem Absturz verteilt")
    deployment.redis.execute_command("CLIENT", "PAUSE", "10000", "WRITE")
    try:
        worker.process.send_signal(signal.SIGCONT)
        wait_until(lambda: status["id"] not in deployment.queued_fan_outs(), timeout=2)
        pull_the_plug(worker)
    finally:
        deployment.redis.execute_command("CLIENT", "UNPAUSE")
    worker.start()
    assert wait_until(lambda: status["id"] in [
        s["id"] for s in reader.http.get("/api/v1/timelines/home").json()])


def test_a_post_sent_again_while_the_first_request_still_runs_is_stored_once(new_user):
    """An app that gave up waiting sends the post again with its `Idempotency-Key` while the
    first request is still being handled: both answers are the one post."""
    alice = new_user()
    answers: list[str] = []

    def send() -> None:
        answers.append(post_with_key(alice, "Einmal, auch wenn zweimal gesendet", key="twice"))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 6 and len(set(answers)) == 1
    assert [s["id"] for s in alice.api.account_statuses(alice.id)] == answers[:1]
