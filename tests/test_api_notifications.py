"""Notifications over plain HTTP: every type, type filters, one by one, dismiss and clear."""

from __future__ import annotations

import httpx

from support import wait_until


def post(user, text: str, **fields) -> dict:
    response = user.http.post("/api/v1/statuses", data={"status": text, **fields})
    assert response.status_code == 200, response.text
    return response.json()


def notifications(user, **params) -> list[dict]:
    response = user.http.get("/api/v1/notifications", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def types_of(user, **params) -> list[str]:
    return [n["type"] for n in notifications(user, **params)]


def test_mention_favourite_reblog_and_follow_notify_with_the_right_shape(new_user):
    alice, bob = new_user(), new_user()
    mine = post(alice, "Etwas Schönes")
    bob.http.post(f"/api/v1/accounts/{alice.id}/follow")
    bob.http.post(f"/api/v1/statuses/{mine['id']}/favourite")
    bob.http.post(f"/api/v1/statuses/{mine['id']}/reblog")
    mention = post(bob, f"@{alice.username} schau mal")
    found = notifications(alice)
    assert [n["type"] for n in found] == ["mention", "reblog", "favourite", "follow"]
    for n in found:
        assert isinstance(n["id"], str) and n["created_at"].endswith("Z")
        assert n["account"]["id"] == bob.id
    by_type = {n["type"]: n for n in found}
    # Favourites and reblogs of one status, and follows, carry the key they are grouped by.
    assert by_type["mention"]["group_key"] == f"ungrouped-{by_type['mention']['id']}"
    assert by_type["favourite"]["group_key"].startswith(f"favourite-{mine['id']}-")
    assert by_type["reblog"]["group_key"].startswith(f"reblog-{mine['id']}-")
    assert by_type["follow"]["group_key"].startswith("follow-")
    assert by_type["mention"]["status"]["id"] == mention["id"]
    assert by_type["favourite"]["status"]["id"] == mine["id"]
    assert by_type["reblog"]["status"]["id"] == mine["id"]
    assert by_type["follow"]["status"] is None


def test_follow_request_notifies_a_locked_account(new_user):
    alice, bob = new_user(locked=True), new_user()
    bob.http.post(f"/api/v1/accounts/{alice.id}/follow")
    assert types_of(alice) == ["follow_request"]
    bob.http.post(f"/api/v1/accounts/{alice.id}/unfollow")  # withdrawing takes it back
    assert types_of(alice) == []


def test_answering_a_follow_request_leaves_no_notification_behind(new_user):
    alice, bob, carol = new_user(locked=True), new_user(), new_user()
    bob.http.post(f"/api/v1/accounts/{alice.id}/follow")
    carol.http.post(f"/api/v1/accounts/{alice.id}/follow")
    assert types_of(alice) == ["follow_request", "follow_request"]
    assert alice.http.post(f"/api/v1/follow_requests/{bob.id}/authorize").status_code == 200
    assert alice.http.post(f"/api/v1/follow_requests/{carol.id}/reject").status_code == 200
    # She approved it herself: no "bob followed you" on top (as Mastodon).
    assert notifications(alice) == []
    assert alice.http.get(f"/api/v1/accounts/{alice.id}").json()["followers_count"] == 1


def test_status_notification_for_followers_who_asked(new_user):
    author, fan, other = new_user(), new_user(), new_user()
    fan.http.post(f"/api/v1/accounts/{author.id}/follow", data={"notify": "true"})
    other.http.post(f"/api/v1/accounts/{author.id}/follow")
    status = post(author, "Neu von mir")
    found = wait_until(lambda: notifications(fan, **{"types[]": "status"}))
    assert [n["status"]["id"] for n in found] == [status["id"]]
    assert "status" not in types_of(other)


def test_editing_a_reblogged_status_notifies_rebloggers_once(new_user):
    author, booster, fan = new_user(), new_user(), new_user()
    fan.http.post(f"/api/v1/accounts/{author.id}/follow", data={"notify": "true"})
    status = post(author, "Erste Fassung")
    assert wait_until(lambda: notifications(fan, **{"types[]": "status"}))
    booster.http.post(f"/api/v1/statuses/{status['id']}/reblog")
    fan.http.post(f"/api/v1/statuses/{status['id']}/reblog")
    author.http.put(f"/api/v1/statuses/{status['id']}", data={"status": "Zweite Fassung"})
    updates = wait_until(lambda: notifications(booster, **{"types[]": "update"}))
    assert [n["status"]["id"] for n in updates] == [status["id"]]
    assert "Zweite Fassung" in updates[0]["status"]["content"]
    assert wait_until(lambda: notifications(fan, **{"types[]": "update"}))
    # An edit is not a new post: followers who asked for posts hear of it only once.
    assert len(notifications(fan, **{"types[]": "status"})) == 1


def test_type_filters_include_and_exclude(new_user):
    alice, bob = new_user(), new_user()
    mine = post(alice, "Filterbar")
    bob.http.post(f"/api/v1/accounts/{alice.id}/follow")
    bob.http.post(f"/api/v1/statuses/{mine['id']}/favourite")
    post(bob, f"@{alice.username} hallo")
    assert types_of(alice, **{"types[]": ["mention", "follow"]}) == ["mention", "follow"]
    assert types_of(alice, **{"exclude_types[]": ["mention", "follow"]}) == ["favourite"]
    assert types_of(alice, **{"types[]": ["mention", "favourite"],
                              "exclude_types[]": "mention"}) == ["favourite"]
    assert types_of(alice, account_id=bob.id) == ["mention", "favourite", "follow"]


def test_notifications_page_with_link_headers(new_user):
    alice = new_user()
    fans = [new_user() for _ in range(3)]
    for fan in fans:
        fan.http.post(f"/api/v1/accounts/{alice.id}/follow")
    first = alice.http.get("/api/v1/notifications", params={"limit": 2})
    assert [n["account"]["id"] for n in first.json()] == [fans[2].id, fans[1].id]
    rest = alice.http.get(first.links["next"]["url"]).json()
    assert [n["account"]["id"] for n in rest] == [fans[0].id]


def test_get_one_dismiss_one_and_clear_all(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    bob.http.post(f"/api/v1/accounts/{alice.id}/follow")
    carol.http.post(f"/api/v1/accounts/{alice.id}/follow")
    from_carol, from_bob = notifications(alice)
    one = alice.http.get(f"/api/v1/notifications/{from_bob['id']}")
    assert one.status_code == 200 and one.json()["account"]["id"] == bob.id
    assert alice.http.post(f"/api/v1/notifications/{from_bob['id']}/dismiss"
                           ).status_code == 200
    assert alice.http.get(f"/api/v1/notifications/{from_bob['id']}").status_code == 404
    assert [n["id"] for n in notifications(alice)] == [from_carol["id"]]
    assert alice.http.post("/api/v1/notifications/clear").status_code == 200
    assert notifications(alice) == []


def test_another_persons_notification_is_not_found(new_user):
    alice, bob, mallory = new_user(), new_user(), new_user()
    bob.http.post(f"/api/v1/accounts/{alice.id}/follow")
    (theirs,) = notifications(alice)
    assert mallory.http.get(f"/api/v1/notifications/{theirs['id']}").status_code == 404
    assert mallory.http.post(f"/api/v1/notifications/{theirs['id']}/dismiss"
                             ).status_code == 404
    assert [n["id"] for n in notifications(alice)] == [theirs["id"]]


def test_own_actions_do_not_notify(new_user):
    alice = new_user()
    mine = post(alice, f"Ich erwähne mich selbst: @{alice.username}")
    alice.http.post(f"/api/v1/statuses/{mine['id']}/favourite")
    alice.http.post(f"/api/v1/statuses/{mine['id']}/reblog")
    assert notifications(alice) == []


def test_muting_with_notifications_silences_and_blocking_removes(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    alice.http.post(f"/api/v1/accounts/{bob.id}/mute", data={"notifications": "true"})
    post(bob, f"@{alice.username} hörst du?")
    assert notifications(alice) == []
    carol.http.post(f"/api/v1/accounts/{alice.id}/follow")
    assert types_of(alice) == ["follow"]
    alice.http.post(f"/api/v1/accounts/{carol.id}/block")
    assert notifications(alice) == []


def test_mentioned_status_that_is_deleted_takes_its_notification_along(new_user):
    alice, bob = new_user(), new_user()
    mention = post(bob, f"@{alice.username} gleich wieder weg")
    assert types_of(alice) == ["mention"]
    bob.http.delete(f"/api/v1/statuses/{mention['id']}")
    assert notifications(alice) == []


def test_notifications_need_a_token_with_the_scope(server, users, new_user):
    assert httpx.get(f"{server.base_url}/api/v1/notifications").status_code == 401
    app_only = httpx.get(f"{server.base_url}/api/v1/notifications",
                         headers={"Authorization": f"Bearer {users.app_token()}"})
    assert app_only.status_code == 422
