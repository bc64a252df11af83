"""Follow suggestions: friends of friends, staff (brand accounts and admins), and the most
followed active accounts; never yourself, people you follow, block or mute, or guests.

Suggestions rank everyone on the server, so these tests run on a server of their own where
only the accounts they make exist.
"""

from __future__ import annotations

import httpx
import pytest
from mastodon import MastodonAPIError

from conftest import TEST_DATABASE_URL, TEST_REDIS_URL
from support import (
    UNLIMITED,
    ServerProcess,
    UserFactory,
    create_postgres_database,
    drop_postgres_database,
)


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    env = {"ZWITSCHER_DATA_DIR": str(tmp_path_factory.mktemp("suggestions")),
           **UNLIMITED}
    if TEST_DATABASE_URL:
        env["ZWITSCHER_DATABASE_URL"] = create_postgres_database(TEST_DATABASE_URL)
        if TEST_REDIS_URL:
            env["ZWITSCHER_REDIS_URL"] = TEST_REDIS_URL
    process = ServerProcess(env)
    process.start()
    yield process
    process.stop()
    if TEST_DATABASE_URL:
        drop_postgres_database(env["ZWITSCHER_DATABASE_URL"])


@pytest.fixture(scope="module")
def person(own_server):
    return UserFactory(own_server).create


def suggested(user) -> dict[str, list[str]]:
    """Suggested account id -> sources."""
    return {s["account"]["id"]: s["sources"] for s in user.api.suggestions_v2()}


def test_people_followed_by_people_you_follow_come_first(person):
    alice, bob, carol, dave = person(), person(), person(), person()
    alice.api.account_follow(bob.id)
    alice.api.account_follow(carol.id)
    bob.api.account_follow(dave.id)
    carol.api.account_follow(dave.id)
    entries = alice.api.suggestions_v2()
    assert entries[0]["account"]["id"] == dave.id
    assert entries[0]["sources"] == ["friends_of_friends"]
    assert entries[0]["source"] == "past_interactions"


def test_brand_accounts_and_admins_are_suggested_as_staff(own_server, person):
    admin = person(role="admin")
    own_server.cli("brands", "create", "press_office_sugg", "--display-name", "Press")
    newcomer = person()
    entries = {s["account"]["username"]: s for s in newcomer.api.suggestions_v2()}
    assert entries["press_office_sugg"]["source"] == "staff"
    assert "featured" in entries[admin.username]["sources"]


def test_much_followed_people_who_post_are_suggested_globally(person):
    popular, quiet = person(), person()
    for _ in range(3):
        person().api.account_follow(popular.id)
    popular.api.status_post("I post things")
    newcomer = person()
    found = suggested(newcomer)
    assert found[popular.id] == ["most_followed"]
    assert quiet.id not in found  # never posted: not active
    assert popular.id in [account["id"] for account in newcomer.api.suggestions_v1()]


def test_never_yourself_nor_followed_blocked_muted_blocking_or_guest_accounts(person):
    alice = person()
    followed, blocked, muted, blocker, guest = (person() for _ in range(4)), None, None, None, None
    followed, blocked, muted, blocker = list(followed)
    guest = person(role="guest")
    hub = person()  # follows them all, so they would be friends of friends
    alice.api.account_follow(hub.id)
    for user in (followed, blocked, muted, blocker, guest):
        hub.api.account_follow(user.id)
        user.api.status_post("active")
    alice.api.account_follow(followed.id)
    alice.api.account_block(blocked.id)
    alice.api.account_mute(muted.id)
    blocker.api.account_block(alice.id)
    found = suggested(alice)
    for user in (alice, followed, blocked, muted, blocker, guest, hub):
        assert user.id not in found, user.username


def test_a_dismissed_suggestion_stays_away(person):
    alice, bob, carol = person(), person(), person()
    alice.api.account_follow(bob.id)
    bob.api.account_follow(carol.id)
    assert carol.id in suggested(alice)
    alice.api.suggestion_delete(carol.id)
    assert carol.id not in suggested(alice)
    other = person()  # dismissing is for alice only
    other.api.account_follow(bob.id)
    assert carol.id in suggested(other)


def test_dismissing_no_account_is_harmless(person):
    alice = person()
    before = suggested(alice)
    assert alice.http.delete("/api/v1/suggestions/999999999999").json() == {}
    assert alice.http.delete(f"/api/v1/suggestions/{alice.id}").json() == {}
    response = alice.http.delete("/api/v1/suggestions/not-an-id")
    assert response.status_code == 404
    assert suggested(alice) == before


@pytest.mark.parametrize("limit", ["-1", "0", "many", "1.5"])
def test_a_bad_limit_is_refused(person, limit):
    response = person().http.get("/api/v2/suggestions", params={"limit": limit})
    assert response.status_code == 422, response.text
    assert "error" in response.json()


def test_suggestions_need_a_signed_in_person(own_server, person):
    assert httpx.get(f"{own_server.base_url}/api/v2/suggestions").status_code == 401
    with pytest.raises(MastodonAPIError):
        person().api.suggestion_delete("x")
