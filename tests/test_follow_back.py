"""Follow back: an account that asks for it follows back whoever follows it, except accounts
the quality score flags, accounts it blocks or mutes, and those it already follows."""

from __future__ import annotations

import pytest

from support import wait_until

POLICY = "/api/zwitscher/v1/accounts/me/policy"


@pytest.fixture(scope="module")
def moderator(users):
    return users.create(role="moderator")


def relationship(user, other) -> dict:
    response = user.http.get("/api/v1/accounts/relationships", params={"id[]": other.id})
    assert response.status_code == 200, response.text
    return response.json()[0]


def follow(user, other) -> None:
    response = user.http.post(f"/api/v1/accounts/{other.id}/follow")
    assert response.status_code == 200, response.text


def follows_back(account) -> None:
    response = account.http.patch(POLICY, json={"follow_back": True})
    assert response.status_code == 200 and response.json() == {"follow_back": True}


def followed_back(account, follower) -> bool:
    return wait_until(lambda: relationship(account, follower)["following"])


def test_the_policy_is_off_until_switched_on_and_refuses_non_booleans(new_user):
    alice = new_user()
    assert alice.http.get(POLICY).json() == {"follow_back": False}
    refused = alice.http.patch(POLICY, json={"follow_back": "perhaps"})
    assert refused.status_code == 422 and refused.json()["error"]
    assert alice.http.patch(POLICY, json={"follow_back": [True]}).status_code == 422
    assert alice.http.get(POLICY).json() == {"follow_back": False}
    assert alice.http.patch(POLICY, data={"follow_back": "true"}).json() == {"follow_back": True}
    assert alice.http.patch(POLICY, json={}).json() == {"follow_back": True}


def test_an_ordinary_follower_is_followed_back(new_user):
    alice, bob = new_user(), new_user()
    follows_back(alice)
    follow(bob, alice)
    assert followed_back(alice, bob)
    assert relationship(bob, alice)["followed_by"]


def test_without_the_policy_nobody_is_followed_back(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    follow(bob, alice)
    follows_back(alice)
    follow(carol, alice)
    assert followed_back(alice, carol)  # the job for bob's follow, had there been one, ran
    assert not relationship(alice, bob)["following"]


def test_a_flagged_link_spammer_is_not_followed_back(moderator, new_user):
    alice, spammer, ordinary = new_user(), new_user(), new_user()
    for n in range(8):
        response = spammer.http.post("/api/v1/statuses",
                                     data={"status": f"https://spam.example/{n}"})
        assert response.status_code == 200, response.text
    scored = moderator.http.post(f"/api/zwitscher/v1/admin/accounts/{spammer.id}/quality")
    assert scored.json()["flags"] == ["link_spammer"]
    follows_back(alice)

    follow(spammer, alice)
    follow(ordinary, alice)
    assert followed_back(alice, ordinary)  # jobs run in order: the spammer's has run too
    assert not relationship(alice, spammer)["following"]


def test_a_muted_or_blocked_follower_is_not_followed_back(new_user):
    alice, muted, blocked, ordinary = new_user(), new_user(), new_user(), new_user()
    follows_back(alice)
    assert alice.http.post(f"/api/v1/accounts/{muted.id}/mute").status_code == 200
    assert alice.http.post(f"/api/v1/accounts/{blocked.id}/block").status_code == 200

    follow(muted, alice)
    assert blocked.http.post(f"/api/v1/accounts/{alice.id}/follow").status_code == 403
    follow(ordinary, alice)
    assert followed_back(alice, ordinary)
    assert not relationship(alice, muted)["following"]
    assert not relationship(alice, blocked)["following"]


def test_a_locked_follower_gets_a_follow_request(new_user):
    alice, locked = new_user(), new_user(locked=True)
    follows_back(alice)
    follow(locked, alice)
    assert wait_until(lambda: relationship(alice, locked)["requested"])
    assert not relationship(alice, locked)["following"]


def test_following_back_someone_already_followed_changes_nothing(new_user):
    alice, bob = new_user(), new_user()
    follow(alice, bob)
    follows_back(alice)
    follow(bob, alice)
    newcomer = new_user()
    follow(newcomer, alice)
    assert followed_back(alice, newcomer)
    assert relationship(alice, bob)["following"]
    notes = bob.http.get("/api/v1/notifications", params={"types[]": "follow"}).json()
    assert [n["account"]["id"] for n in notes] == [alice.id]
