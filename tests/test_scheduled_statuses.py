"""Scheduled statuses: a post waits for its time (also across a restart), can be listed, moved
and cancelled by its author alone, and goes out as the author would have posted it then."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from mastodon import Mastodon, MastodonAPIError

from conftest import TEST_DATABASE_URL
from support import (
    UNLIMITED,
    ServerProcess,
    UserFactory,
    create_postgres_database,
    drop_postgres_database,
    wait_until,
)


def later(**delta) -> datetime:
    return datetime.now(UTC) + timedelta(**delta)


def test_a_scheduled_status_waits_and_can_be_moved_and_cancelled(new_user):
    alice = new_user()
    scheduled = alice.api.status_post("Pressemitteilung zum Quartal", visibility="unlisted",
                                      scheduled_at=later(hours=2))
    assert set(scheduled) == {"id", "scheduled_at", "params", "media_attachments"}
    assert scheduled["params"]["text"] == "Pressemitteilung zum Quartal"
    assert scheduled["params"]["visibility"] == "unlisted"
    assert alice.api.account_statuses(alice.id) == []
    assert [s["id"] for s in alice.api.scheduled_statuses()] == [scheduled["id"]]

    moved_to = later(days=1).replace(microsecond=0)
    moved = alice.api.scheduled_status_update(scheduled["id"], moved_to)
    assert moved["scheduled_at"] == alice.api.scheduled_status(scheduled["id"])["scheduled_at"]
    assert moved["scheduled_at"] == moved_to

    alice.api.scheduled_status_delete(scheduled["id"])
    assert alice.api.scheduled_statuses() == []
    assert alice.api.account_verify_credentials()["statuses_count"] == 0


def test_a_poll_can_be_scheduled_too(new_user):
    alice = new_user()
    scheduled = alice.api.status_post("Umfrage für Montag", scheduled_at=later(hours=1),
                                      poll=alice.api.make_poll(["Ja", "Nein"],
                                                               expires_in=3600))
    assert scheduled["params"]["poll"] == {"options": ["Ja", "Nein"], "expires_in": 3600,
                                           "multiple": False, "hide_totals": False}


def test_scheduled_statuses_are_listed_page_by_page(new_user):
    alice = new_user()
    ids = [alice.api.status_post(f"Geplant {n}", scheduled_at=later(hours=n + 1))["id"]
           for n in range(3)]
    first = alice.http.get("/api/v1/scheduled_statuses", params={"limit": 2})
    assert [s["id"] for s in first.json()] == ids[:0:-1]
    rest = alice.http.get(first.links["next"]["url"])
    assert [s["id"] for s in rest.json()] == ids[:1]


def test_only_the_author_sees_and_changes_a_scheduled_status(new_user, server):
    alice, bob = new_user(), new_user()
    scheduled = alice.api.status_post("Nur für mich sichtbar", scheduled_at=later(hours=3))
    url = f"/api/v1/scheduled_statuses/{scheduled['id']}"
    assert bob.http.get(url).status_code == 404
    assert bob.http.put(url, data={"scheduled_at": later(hours=5).isoformat()}).status_code == 404
    assert bob.http.delete(url).status_code == 404
    assert bob.api.scheduled_statuses() == []
    assert httpx.get(f"{server.base_url}{url}").status_code == 401
    assert alice.api.scheduled_status(scheduled["id"])["scheduled_at"] == \
        scheduled["scheduled_at"]


def test_bad_schedules_are_refused_and_nothing_is_scheduled(new_user):
    alice, bob = new_user(), new_user()
    private = bob.api.status_post("Nur für Follower", visibility="private")
    bad = [{"scheduled_at": later(minutes=-5).isoformat()},
           {"scheduled_at": later(minutes=2).isoformat()},  # less than five minutes ahead
           {"scheduled_at": "tomorrow-ish"}, {"scheduled_at": "2030-02-30T10:00:00Z"},
           {"scheduled_at": "9999-12-31T23:59:59-05:00"}, {"scheduled_at": ["2030-01-01"]},
           {"scheduled_at": "2030-01-01T10:00:00Z", "status": ""},
           {"scheduled_at": "2030-01-01T10:00:00Z", "visibility": "everyone"},
           {"scheduled_at": "2030-01-01T10:00:00Z", "media_ids": ["1"]},
           {"scheduled_at": "2030-01-01T10:00:00Z",
            "poll": {"options": ["nur eine"], "expires_in": 3600}}]
    for fields in bad:
        response = alice.http.post("/api/v1/statuses",
                                   json={"status": "Geplant", **fields})
        assert response.status_code == 422 and "error" in response.json(), fields
    hidden_parent = alice.http.post("/api/v1/statuses", json={
        "status": "Antwort", "in_reply_to_id": private["id"],
        "scheduled_at": "2030-01-01T10:00:00Z"})
    assert hidden_parent.status_code == 404
    assert alice.api.scheduled_statuses() == []

    kept = alice.api.status_post("Bleibt, wie es ist", scheduled_at=later(hours=4))
    url = f"/api/v1/scheduled_statuses/{kept['id']}"
    for body in ({"scheduled_at": "gestern"}, {"scheduled_at": later(hours=-1).isoformat()},
                 {}):
        assert alice.http.put(url, json=body).status_code == 422, body
    assert alice.api.scheduled_status(kept["id"])["scheduled_at"] == kept["scheduled_at"]


def test_at_most_25_statuses_are_scheduled_for_one_day(new_user):
    alice = new_user()
    day = (later(days=3)).replace(hour=8, minute=0, second=0, microsecond=0)
    for n in range(25):
        alice.api.status_post(f"Beitrag {n}", scheduled_at=day + timedelta(minutes=n))
    with pytest.raises(MastodonAPIError):
        alice.api.status_post("Einer zu viel", scheduled_at=day + timedelta(hours=5))
    assert len(alice.api.scheduled_statuses(limit=40)) == 25


@pytest.fixture(scope="module")
def quick_env(tmp_path_factory):
    """Environment for servers of their own that let posts be scheduled a second ahead."""
    env = {"ZWITSCHER_DATA_DIR": str(tmp_path_factory.mktemp("scheduled")),
           "ZWITSCHER_SCHEDULE_MIN_LEAD_SECONDS": "1", **UNLIMITED}
    if TEST_DATABASE_URL:
        env["ZWITSCHER_DATABASE_URL"] = create_postgres_database(TEST_DATABASE_URL)
    yield env
    if TEST_DATABASE_URL:
        drop_postgres_database(env["ZWITSCHER_DATABASE_URL"])


def test_a_scheduled_status_is_published_after_a_restart(quick_env):
    server = ServerProcess(quick_env)
    server.start()
    try:
        users = UserFactory(server)
        alice, follower = users.create(), users.create()
        follower.api.account_follow(alice.id)
        at = later(seconds=3)
        alice.api.status_post("Geplant vor dem Neustart", visibility="private",
                              scheduled_at=at, poll=alice.api.make_poll(
                                  ["Ja", "Nein"], expires_in=3600))
    finally:
        server.stop()
    time.sleep(max((at - datetime.now(UTC)).total_seconds(), 0) + 0.5)  # it is due meanwhile

    restarted = ServerProcess(quick_env)
    restarted.start()
    try:
        as_follower = httpx.Client(base_url=restarted.base_url, headers=follower.headers())

        def published() -> list[dict]:
            return as_follower.get(f"/api/v1/accounts/{alice.id}/statuses").json()

        statuses = wait_until(published, timeout=30)
        assert [s["content"] for s in statuses] == ["<p>Geplant vor dem Neustart</p>"]
        assert statuses[0]["visibility"] == "private"
        assert [o["title"] for o in statuses[0]["poll"]["options"]] == ["Ja", "Nein"]
        assert httpx.get(f"{restarted.base_url}/api/v1/accounts/{alice.id}/statuses"
                         ).json() == []  # still followers-only
        as_alice = httpx.Client(base_url=restarted.base_url, headers=alice.headers())
        assert as_alice.get("/api/v1/scheduled_statuses").json() == []
    finally:
        restarted.stop()


def test_a_brand_post_scheduled_from_an_app_keeps_its_author(quick_env):
    server = ServerProcess(quick_env)
    server.start()
    try:
        users = UserFactory(server)
        admin, jana = users.create(role="admin"), users.create(role="communicator")
        brands = "/api/zwitscher/v1/brands"
        brand = admin.http.post(brands, data={"username": "presse"}).json()
        admin.http.post(f"{brands}/{brand['id']}/authors",
                        data={"account_id": jana.id}).raise_for_status()
        token = jana.http.post(f"{brands}/{brand['id']}/tokens").json()["access_token"]
        app = Mastodon(access_token=token, api_base_url=server.base_url)
        scheduled = app.status_post("Heute um 12 Uhr: Betriebsversammlung",
                                    scheduled_at=later(seconds=2))
        assert scheduled["params"]["zwitscher"]["posted_by_id"] == jana.id
        statuses = f"/api/v1/accounts/{brand['id']}/statuses"
        published = wait_until(lambda: jana.http.get(statuses).json(), timeout=30)
        assert [s["zwitscher"]["posted_by"]["id"] for s in published] == [jana.id]
        assert app.scheduled_statuses() == []
    finally:
        server.stop()
