"""Home feeds keep their newest entries only, so a busy organisation's database does not grow
by one row per post per follower forever."""

from __future__ import annotations

import pytest

from support import (
    UserFactory,
    fresh_instance,
    wait_until,
)

FEED_SIZE = 20


@pytest.fixture(scope="module")
def small_feeds(tmp_path_factory):
    with fresh_instance(tmp_path_factory.mktemp("feeds"), ZWITSCHER_HOME_FEED_SIZE=str(FEED_SIZE),
                        ZWITSCHER_HOME_FEED_TRIM_INTERVAL_SECONDS="0.5") as server:
        yield UserFactory(server)


def home(user, **params) -> list[dict]:
    response = user.http.get("/api/v1/timelines/home", params={"limit": 40, **params})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_home_feed_keeps_its_newest_entries_and_lets_older_ones_go(small_feeds):
    author, reader = small_feeds.create(), small_feeds.create()
    reader.http.post(f"/api/v1/accounts/{author.id}/follow").raise_for_status()
    posted = []
    for n in range(FEED_SIZE + 7):
        response = author.http.post("/api/v1/statuses", data={"status": f"Update {n}"})
        assert response.status_code == 200, response.text
        posted.append(response.json()["id"])

    wait_until(lambda: [s["id"] for s in home(reader)] == posted[::-1][:FEED_SIZE],
               timeout=15)
    # Paging on from the oldest kept entry finds nothing older: it is gone from the feed,
    # not from the author's profile.
    assert home(reader, max_id=posted[-FEED_SIZE]) == []
    profile = author.http.get(f"/api/v1/accounts/{author.id}/statuses", params={"limit": 40})
    assert [s["id"] for s in profile.json()] == posted[::-1]
