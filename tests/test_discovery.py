"""Finding people and topics: the directory and trends, as Mastodon apps show them."""

from __future__ import annotations

import secrets

import pytest


def post(user, text: str, **params) -> dict:
    response = user.http.post("/api/v1/statuses", data={"status": text, **params})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_tag_used_by_several_people_trends_with_its_history(new_user):
    topic, solo = f"Betriebsfest{secrets.token_hex(3)}", f"solo{secrets.token_hex(3)}"
    alice, bob, carol = new_user(), new_user(), new_user()
    post(alice, f"Wer kommt zum #{topic}?")
    post(bob, f"Ich! #{topic}")
    post(carol, f"Nur für Follower #{topic}", visibility="private")
    for n in range(5):
        post(carol, f"#{solo} {n}")

    trends = alice.api.trending_tags(limit=20)
    names = [t["name"] for t in trends]
    assert topic in names and solo not in names
    mine = next(t for t in trends if t["name"] == topic)
    assert mine["url"].endswith(f"/tags/{topic.lower()}")
    assert len(mine["history"]) == 7
    assert (mine["history"][0]["uses"], mine["history"][0]["accounts"]) == ("2", "2")


def test_statuses_people_interact_with_trend_but_never_private_ones(new_user):
    author, fan = new_user(), new_user()
    fan.http.post(f"/api/v1/accounts/{author.id}/follow").raise_for_status()
    loud = post(author, "Ein Beitrag, den alle mögen")
    quiet = post(author, "Nur für Follower", visibility="private")
    for status in (loud, quiet):
        fan.http.post(f"/api/v1/statuses/{status['id']}/favourite").raise_for_status()

    ids = [s["id"] for s in fan.api.trending_statuses(limit=40)]
    assert loud["id"] in ids and quiet["id"] not in ids
    anonymous = fan.http.get("/api/v1/trends/statuses", params={"limit": 40},
                             headers={"Authorization": ""})
    assert loud["id"] in [s["id"] for s in anonymous.json()]


def test_the_directory_lists_discoverable_people_newest_first(new_user):
    shy, visible = new_user(), new_user()
    shy.http.patch("/api/v1/accounts/update_credentials",
                   data={"discoverable": "false"}).raise_for_status()
    newest = visible.api.directory(order="new", limit=80)
    ids = [a["id"] for a in newest]
    assert visible.id in ids and shy.id not in ids
    assert ids == sorted(ids, key=int, reverse=True)
    post(shy, "still not in the directory")
    assert shy.id not in [a["id"] for a in visible.api.directory(order="active", limit=80)]


@pytest.mark.parametrize("params", [{"order": "sideways"}, {"limit": "-1"}, {"offset": "-5"},
                                    {"limit": "many"}])
def test_bad_discovery_parameters_get_clear_errors(new_user, params):
    user = new_user()
    for path in ("/api/v1/directory", "/api/v1/trends/tags"):
        if path.endswith("tags") and "order" in params:
            continue
        response = user.http.get(path, params=params)
        assert 400 <= response.status_code < 500, (path, params, response.text)
        assert "error" in response.json()
