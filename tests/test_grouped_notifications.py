"""Grouped notifications (API v2), unread counts by the marker, and the notification policy
with its requests, as the people they are for see them."""

from __future__ import annotations

import pytest


def post(user, text: str, **fields) -> dict:
    response = user.http.post("/api/v1/statuses", data={"status": text, **fields})
    assert response.status_code == 200, response.text
    return response.json()


def grouped(user, **params) -> dict:
    response = user.http.get("/api/v2/notifications", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def v1_types(user, **params) -> list[str]:
    response = user.http.get("/api/v1/notifications", params=params)
    assert response.status_code == 200, response.text
    return [n["type"] for n in response.json()]


def favourited_by(status: dict, *fans) -> None:
    for fan in fans:
        fan.http.post(f"/api/v1/statuses/{status['id']}/favourite").raise_for_status()


def test_favourites_of_one_status_are_one_group_with_count_and_sample_accounts(new_user):
    alice, bob, carol, dave = new_user(), new_user(), new_user(), new_user()
    mine = post(alice, "Schönes Wetter")
    favourited_by(mine, bob, carol)
    mention = post(dave, f"@{alice.username} hallo")
    favourited_by(mine, dave)
    result = alice.api.grouped_notifications(expand_accounts="full")
    favourites, mentioned = result["notification_groups"]
    assert favourites["type"] == "favourite" and favourites["notifications_count"] == 3
    assert favourites["group_key"].startswith(f"favourite-{mine['id']}-")
    assert favourites["sample_account_ids"] == [dave.id, carol.id, bob.id]
    assert favourites["status_id"] == mine["id"]
    assert mentioned["type"] == "mention" and mentioned["notifications_count"] == 1
    assert mentioned["group_key"] == f"ungrouped-{mentioned['most_recent_notification_id']}"
    assert mentioned["status_id"] == mention["id"]
    assert {a["id"] for a in result["accounts"]} == {bob.id, carol.id, dave.id}
    assert {s["id"] for s in result["statuses"]} == {mine["id"], mention["id"]}
    # The plain list keeps every notification, each with the key of its group.
    plain = alice.http.get("/api/v1/notifications").json()
    assert [n["group_key"] for n in plain if n["type"] == "favourite"] == \
        [favourites["group_key"]] * 3


def test_a_group_by_key_its_accounts_and_dismissing_it(new_user):
    alice, bob, carol, mallory = new_user(), new_user(), new_user(), new_user()
    mine = post(alice, "Gruppe")
    favourited_by(mine, bob, carol)
    key = grouped(alice)["notification_groups"][0]["group_key"]
    one = alice.api.grouped_notification(key)
    (group,) = one["notification_groups"]
    assert group["notifications_count"] == 2 and group.get("page_min_id") is None
    assert [a["id"] for a in alice.api.grouped_notification_accounts(key)] == [carol.id, bob.id]
    # Someone else's group is nobody else's business.
    assert mallory.http.get(f"/api/v2/notifications/{key}").status_code == 404
    assert mallory.http.post(f"/api/v2/notifications/{key}/dismiss").status_code == 404
    assert alice.http.get(f"/api/v2/notifications/{key}").status_code == 200
    alice.api.dismiss_grouped_notification(key)
    assert grouped(alice)["notification_groups"] == []
    assert v1_types(alice) == []
    assert alice.http.get(f"/api/v2/notifications/{key}").status_code == 404


def test_pages_of_groups_follow_link_headers(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    first, second = post(alice, "eins"), post(alice, "zwei")
    favourited_by(first, bob)
    favourited_by(second, bob, carol)
    favourited_by(first, carol)
    page = alice.http.get("/api/v2/notifications", params={"limit": 1})
    (newest,) = page.json()["notification_groups"]
    assert newest["status_id"] == first["id"]
    assert newest["notifications_count"] == 2
    # Only carol's favourite of it is on this page; bob's is older than carol's of "zwei".
    assert newest["page_min_id"] == newest["page_max_id"]
    rest = alice.http.get(page.links["next"]["url"]).json()["notification_groups"]
    assert [g["status_id"] for g in rest] == [second["id"]]


def test_types_the_client_does_not_group_come_one_by_one(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    mine = post(alice, "einzeln")
    favourited_by(mine, bob, carol)
    groups = grouped(alice, **{"grouped_types[]": "reblog"})["notification_groups"]
    assert [g["notifications_count"] for g in groups] == [1, 1]
    assert all(g["group_key"].startswith("ungrouped-") for g in groups)
    only_mentions = grouped(alice, **{"types[]": "mention"})["notification_groups"]
    assert only_mentions == []


def test_blocked_accounts_drop_out_of_groups(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    mine = post(alice, "block")
    favourited_by(mine, bob, carol)
    alice.http.post(f"/api/v1/accounts/{carol.id}/block").raise_for_status()
    (group,) = grouped(alice)["notification_groups"]
    assert group["notifications_count"] == 1 and group["sample_account_ids"] == [bob.id]


def test_unread_counts_follow_the_notifications_marker(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    mine = post(alice, "gelesen?")
    favourited_by(mine, bob, carol)
    post(bob, f"@{alice.username} hallo")
    assert alice.api.notifications_unread_count()["count"] == 3
    assert alice.api.unread_grouped_notifications_count() == 2
    newest = alice.http.get("/api/v1/notifications").json()[0]
    alice.http.post("/api/v1/markers", data={"notifications[last_read_id]": newest["id"]})
    assert alice.api.notifications_unread_count()["count"] == 0
    assert alice.api.unread_grouped_notifications_count() == 0


@pytest.mark.parametrize("params", [{"max_id": "x"}, {"limit": "many"},
                                    {"expand_accounts": "some"}, {"account_id": "nobody"}])
def test_bad_grouped_parameters_are_422(new_user, params):
    response = new_user().http.get("/api/v2/notifications", params=params)
    assert response.status_code == 422 and "error" in response.json()


def test_unknown_or_absurd_group_keys(new_user):
    alice = new_user()
    assert alice.http.get("/api/v2/notifications/favourite-1-1").status_code == 404
    assert alice.http.get("/api/v2/notifications/ungrouped-abc").status_code == 404
    assert alice.http.get("/api/v2/notifications/" + "x" * 500).status_code == 422
    assert alice.http.post("/api/v2/notifications/ungrouped-1/dismiss").status_code == 404


# The notification policy.

def test_the_policy_accepts_everything_until_told_otherwise(new_user):
    policy = new_user().api.notifications_policy()
    assert policy["for_not_following"] == "accept"
    assert policy["for_private_mentions"] == "accept"
    assert policy["summary"] == {"pending_requests_count": 0, "pending_notifications_count": 0}


def test_dropped_notifications_are_never_made(new_user):
    alice, friend, stranger = new_user(), new_user(), new_user()
    alice.http.post(f"/api/v1/accounts/{friend.id}/follow").raise_for_status()
    alice.api.update_notifications_policy(for_not_following="drop")
    mine = post(alice, "nur Freunde")
    favourited_by(mine, stranger, friend)
    assert [n["account"]["id"] for n in alice.http.get("/api/v1/notifications").json()] == \
        [friend.id]
    assert alice.api.notification_requests() == []
    # Follow requests are never held back.
    locked = new_user(locked=True)
    locked.api.update_notifications_policy(for_not_following="drop")
    stranger.http.post(f"/api/v1/accounts/{locked.id}/follow").raise_for_status()
    assert v1_types(locked) == ["follow_request"]


def test_filtered_notifications_wait_in_a_request_until_accepted(new_user):
    alice, stranger = new_user(), new_user()
    alice.api.update_notifications_policy(for_not_following="filter")
    mine = post(alice, "gefiltert")
    favourited_by(mine, stranger)
    mention = post(stranger, f"@{alice.username} darf ich?")
    assert v1_types(alice) == []
    assert grouped(alice)["notification_groups"] == []
    assert alice.api.notifications_unread_count()["count"] == 0
    (request,) = alice.api.notification_requests()
    assert request["account"]["id"] == stranger.id
    assert request["notifications_count"] == "2"
    assert request["last_status"]["id"] == mention["id"]
    assert alice.api.notification_request(request["id"])["id"] == request["id"]
    summary = alice.api.notifications_policy()["summary"]
    assert summary == {"pending_requests_count": 1, "pending_notifications_count": 2}
    assert v1_types(alice, include_filtered="true") == ["mention", "favourite"]

    alice.api.accept_notification_request(request["id"])
    assert alice.api.notifications_merged() is True
    assert v1_types(alice) == ["mention", "favourite"]
    assert alice.api.notification_requests() == []
    post(stranger, f"@{alice.username} danke")  # accepted from now on
    assert v1_types(alice) == ["mention", "mention", "favourite"]


def test_dismissing_requests_deletes_what_they_held(new_user):
    alice, first, second = new_user(), new_user(), new_user()
    alice.api.update_notifications_policy(for_not_following="filter")
    post(first, f"@{alice.username} eins")
    post(second, f"@{alice.username} zwei")
    requests = alice.api.notification_requests()
    assert len(requests) == 2
    alice.api.dismiss_multiple_notification_requests([r["id"] for r in requests])
    assert alice.api.notification_requests() == []
    assert v1_types(alice, include_filtered="true") == []
    # Others cannot touch a person's requests.
    post(first, f"@{alice.username} nochmal")
    (request,) = alice.api.notification_requests()
    mallory = new_user()
    assert mallory.http.get(f"/api/v1/notifications/requests/{request['id']}").status_code == 404
    assert mallory.http.post(f"/api/v1/notifications/requests/{request['id']}/accept"
                             ).status_code == 404
    assert mallory.http.post("/api/v1/notifications/requests/dismiss",
                             data={"id[]": request["id"]}).status_code == 200
    assert [r["id"] for r in alice.api.notification_requests()] == [request["id"]]


def test_private_mentions_policy_spares_replies_to_ones_own_mentions(new_user):
    alice, bob = new_user(), new_user()
    alice.api.update_notifications_policy(for_private_mentions="drop")
    post(bob, f"@{alice.username} geheim", visibility="direct")
    assert v1_types(alice) == []
    asked = post(alice, f"@{bob.username} was meinst du?", visibility="direct")
    post(bob, f"@{alice.username} das hier", visibility="direct", in_reply_to_id=asked["id"])
    assert v1_types(alice) == ["mention"]


@pytest.mark.parametrize("form", [{"for_not_following": "maybe"},
                                  {"for_new_accounts": ""},
                                  {"for_private_mentions": "DROP"}])
def test_bad_policy_values_are_422_and_change_nothing(new_user, form):
    alice = new_user()
    response = alice.http.patch("/api/v2/notifications/policy", data=form)
    assert response.status_code == 422 and "error" in response.json()
    assert alice.api.notifications_policy()["for_not_following"] == "accept"
    assert alice.api.notifications_policy()["for_private_mentions"] == "accept"


def test_bad_request_ids_are_refused(new_user):
    alice = new_user()
    for path, form, status in [("/api/v1/notifications/requests/accept", {}, 422),
                               ("/api/v1/notifications/requests/accept", {"id[]": "x"}, 422),
                               ("/api/v1/notifications/requests/abc/dismiss", {}, 404),
                               ("/api/v1/notifications/requests/1/accept", {}, 404)]:
        response = alice.http.post(path, data=form)
        assert response.status_code == status, (path, response.text)


def test_v1_policy_shows_and_changes_the_same_policy_in_booleans(new_user):
    alice, stranger = new_user(), new_user()
    v1 = alice.http.get("/api/v1/notifications/policy").json()
    assert v1 == {"filter_not_following": False, "filter_not_followers": False,
                  "filter_new_accounts": False, "filter_private_mentions": False,
                  "summary": {"pending_requests_count": 0, "pending_notifications_count": 0}}
    changed = alice.http.patch("/api/v1/notifications/policy",
                               data={"filter_not_following": "true"}).json()
    assert changed["filter_not_following"] is True and changed["filter_new_accounts"] is False
    assert alice.api.notifications_policy()["for_not_following"] == "filter"
    favourited_by(post(alice, "Hallo"), stranger)
    assert alice.http.get("/api/v1/notifications/policy").json()["summary"] == {
        "pending_requests_count": 1, "pending_notifications_count": 1}
    alice.api.update_notifications_policy(for_not_followers="drop")
    assert alice.http.get("/api/v1/notifications/policy").json()["filter_not_followers"] is True
    refused = alice.http.patch("/api/v1/notifications/policy",
                               data={"filter_not_following": "maybe"})
    assert refused.status_code == 422 and refused.json()["error"]
    assert alice.api.notifications_policy()["for_not_following"] == "filter"
