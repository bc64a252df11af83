"""Hybrid fan-out: accounts with very many followers reach everyone at once.

A server with a fan-out threshold of 3 followers stands in for a company with a 100,000-person
"all staff" account: the broadcaster's posts are merged into home timelines when read instead of
being written into every follower's feed, and stream on one channel per broadcaster.
"""

from __future__ import annotations

import asyncio
import json

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from streams import SseStream
from support import (
    UserFactory,
    fresh_instance,
    wait_until,
)

THRESHOLD = 3


@pytest.fixture(scope="module")
def hybrid(tmp_path_factory):
    """A server of its own (its own database too): its jobs and streams are its own."""
    with fresh_instance(tmp_path_factory.mktemp("hybrid"),
                        ZWITSCHER_FAN_OUT_THRESHOLD=str(THRESHOLD)) as server:
        yield server, UserFactory(server)


@pytest.fixture
def newsroom(hybrid):
    """A broadcaster followed by four people (above the threshold), and a bystander."""
    _, users = hybrid
    broadcaster = users.create()
    followers = [users.create() for _ in range(THRESHOLD + 1)]
    for follower in followers:
        follower.http.post(f"/api/v1/accounts/{broadcaster.id}/follow").raise_for_status()
    return broadcaster, followers, users.create()


def home_ids(user, **params) -> list[str]:
    response = user.http.get("/api/v1/timelines/home", params={"limit": 40, **params})
    assert response.status_code == 200, response.text
    return [status["id"] for status in response.json()]


def feed_rows(server, status_id: str) -> int:
    """How many home-feed rows the database holds for a status."""
    url = server.env.get("ZWITSCHER_DATABASE_URL")
    url = (url.replace("postgresql://", "postgresql+asyncpg://", 1) if url else
           f"sqlite+aiosqlite:///{server.env['ZWITSCHER_DATA_DIR']}/zwitscher.sqlite3")

    async def count() -> int:
        engine = create_async_engine(url)
        async with engine.connect() as conn:
            rows = await conn.scalar(sa.text(
                "SELECT count(*) FROM home_feed WHERE status_id = :id"), {"id": int(status_id)})
        await engine.dispose()
        return rows

    return asyncio.run(count())


def test_broadcast_post_is_in_every_followers_home_as_soon_as_it_is_posted(hybrid, newsroom):
    server, _ = hybrid
    broadcaster, followers, bystander = newsroom
    status = broadcaster.http.post("/api/v1/statuses", data={"status": "Betriebsversammlung"})
    status_id = status.json()["id"]
    # No waiting for a job: the post is merged in when each home timeline is read.
    for follower in followers:
        assert status_id in home_ids(follower)
    assert status_id not in home_ids(bystander)
    assert feed_rows(server, status_id) == 1  # the author's own entry only


def test_accounts_below_the_threshold_still_fan_out_on_write(hybrid):
    server, users = hybrid
    author, reader = users.create(), users.create()
    reader.http.post(f"/api/v1/accounts/{author.id}/follow").raise_for_status()
    status_id = author.http.post("/api/v1/statuses", data={"status": "klein"}).json()["id"]
    assert wait_until(lambda: status_id in home_ids(reader))
    assert feed_rows(server, status_id) == 2


def test_merged_home_pages_hold_every_post_exactly_once(hybrid, newsroom):
    _, users = hybrid
    broadcaster, followers, _ = newsroom
    reader = followers[0]
    colleague = users.create()
    reader.http.post(f"/api/v1/accounts/{colleague.id}/follow").raise_for_status()
    posted = []
    for n in range(12):
        author = broadcaster if n % 2 else colleague
        posted.append(author.http.post("/api/v1/statuses",
                                       data={"status": f"Meldung {n}"}).json()["id"])
    assert wait_until(lambda: posted[-2] in home_ids(reader))
    seen, max_id = [], None
    while True:
        page = home_ids(reader, limit=5, **({"max_id": max_id} if max_id else {}))
        if not page:
            break
        seen += page
        max_id = page[-1]
    assert [i for i in seen if i in posted] == list(reversed(posted))
    newer = home_ids(reader, limit=3, min_id=posted[5])
    assert newer == sorted(posted[6:], key=int)[:3][::-1]


def test_broadcasters_replies_to_others_and_unwanted_reblogs_stay_out_of_home(hybrid, newsroom):
    _, users = hybrid
    broadcaster, followers, _ = newsroom
    quiet = followers[1]
    quiet.http.post(f"/api/v1/accounts/{broadcaster.id}/follow",
                    data={"reblogs": "false"}).raise_for_status()
    someone = users.create()
    question = someone.http.post("/api/v1/statuses", data={"status": "Frage"}).json()
    reply = broadcaster.http.post("/api/v1/statuses", data={
        "status": f"@{someone.username} Antwort", "in_reply_to_id": question["id"]}).json()
    boost = broadcaster.http.post(f"/api/v1/statuses/{question['id']}/reblog").json()
    marker = broadcaster.http.post("/api/v1/statuses", data={"status": "Danach"}).json()
    assert reply["id"] not in home_ids(followers[0])
    assert boost["id"] in home_ids(followers[0])
    assert marker["id"] in home_ids(quiet) and boost["id"] not in home_ids(quiet)


def test_broadcasters_direct_message_reaches_only_the_mentioned_follower(hybrid, newsroom):
    broadcaster, followers, _ = newsroom
    direct = broadcaster.http.post("/api/v1/statuses", data={
        "status": f"@{followers[0].username} vertraulich", "visibility": "direct"}).json()
    assert wait_until(lambda: direct["id"] in home_ids(followers[0]))
    assert direct["id"] not in home_ids(followers[1])


def test_unfollowing_or_muting_the_broadcaster_removes_their_posts_from_home(hybrid, newsroom):
    broadcaster, followers, _ = newsroom
    status_id = broadcaster.http.post("/api/v1/statuses", data={"status": "Info"}).json()["id"]
    leaver, muter = followers[0], followers[1]
    leaver.http.post(f"/api/v1/accounts/{broadcaster.id}/unfollow").raise_for_status()
    muter.http.post(f"/api/v1/accounts/{broadcaster.id}/mute").raise_for_status()
    assert status_id not in home_ids(leaver)
    assert status_id not in home_ids(muter)
    assert status_id in home_ids(followers[2])


def test_broadcast_post_streams_to_followers_and_stops_after_unfollow(hybrid, newsroom):
    server, _ = hybrid
    broadcaster, followers, bystander = newsroom
    streams = {u.username: SseStream(server.base_url, "/api/v1/streaming/user", u.token, {})
               for u in [*followers[:2], bystander]}
    try:
        followers[1].http.post(f"/api/v1/accounts/{broadcaster.id}/unfollow").raise_for_status()
        first = broadcaster.http.post("/api/v1/statuses", data={"status": "Live 1"}).json()
        streams[followers[0].username].wait_for(
            "update", lambda data: json.loads(data)["id"] == first["id"])
        # The bystander posts to themself as a sentinel for their own stream.
        own = bystander.http.post("/api/v1/statuses", data={"status": "ich"}).json()
        streams[bystander.username].wait_for(
            "update", lambda data: json.loads(data)["id"] == own["id"])
        sentinel = followers[1].http.post("/api/v1/statuses", data={"status": "ich"}).json()
        streams[followers[1].username].wait_for(
            "update", lambda data: json.loads(data)["id"] == sentinel["id"])
        assert first["id"] not in streams[bystander.username].status_ids()
        assert first["id"] not in streams[followers[1].username].status_ids()
    finally:
        for stream in streams.values():
            stream.close()


def test_an_internal_broadcast_reaches_insiders_and_never_guests(hybrid):
    """The all-staff account posts company news `internal`: every member has it at once, in
    the home timeline and live; a journalist (guest) who follows the account has neither."""
    server, users = hybrid
    broadcaster = users.create(role="communicator")
    insiders = [users.create() for _ in range(THRESHOLD)]
    guest = users.create(role="guest")
    for follower in [*insiders, guest]:
        follower.http.post(f"/api/v1/accounts/{broadcaster.id}/follow").raise_for_status()
    insider_stream = SseStream(server.base_url, "/api/v1/streaming/user", insiders[0].token, {})
    guest_stream = SseStream(server.base_url, "/api/v1/streaming/user", guest.token, {})
    try:
        news = broadcaster.http.post("/api/v1/statuses", data={
            "status": "Interne Mitteilung", "visibility": "internal"}).json()
        public = broadcaster.http.post("/api/v1/statuses", data={"status": "Pressemitteilung"}
                                       ).json()
        insider_stream.wait_for("update", lambda data: news["id"] in data)
        guest_stream.wait_for("update", lambda data: public["id"] in data)
        assert news["id"] not in guest_stream.status_ids()
    finally:
        insider_stream.close()
        guest_stream.close()
    assert all(news["id"] in home_ids(insider) for insider in insiders)
    assert news["id"] not in home_ids(guest) and public["id"] in home_ids(guest)
    assert feed_rows(server, news["id"]) == 1
