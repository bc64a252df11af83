"""Posting defaults and reading positions follow a person from app to app."""

from __future__ import annotations


def test_a_default_visibility_is_used_when_a_post_does_not_say(new_user):
    alice = new_user()
    response = alice.http.patch("/api/v1/accounts/update_credentials", data={
        "source[privacy]": "unlisted", "source[sensitive]": "true", "source[language]": "de"})
    assert response.status_code == 200, response.text
    assert response.json()["source"]["privacy"] == "unlisted"
    assert response.json()["source"]["language"] == "de"

    prefs = alice.api.preferences()
    assert prefs["posting:default:visibility"] == "unlisted"
    assert prefs["posting:default:sensitive"] is True
    assert prefs["posting:default:language"] == "de"

    posted = alice.api.status_post("Ohne Angabe")
    assert (posted["visibility"], posted["language"]) == ("unlisted", "de")
    assert alice.api.status_post("Ausdrücklich", visibility="public")["visibility"] == "public"


def test_an_internal_default_shows_as_private_to_mastodon_apps_and_posts_internally(new_user):
    bob = new_user()
    bob.http.patch("/api/v1/accounts/update_credentials",
                   data={"source[privacy]": "internal"}).raise_for_status()
    assert bob.api.preferences()["posting:default:visibility"] == "private"
    posted = bob.http.post("/api/v1/statuses", data={"status": "Nur für uns"}).json()
    assert posted["zwitscher"]["visibility"] == "internal"


def test_bad_preferences_are_refused_and_change_nothing(new_user):
    carol = new_user()
    for data in ({"source[privacy]": "everyone"}, {"source[privacy]": "group"},
                 {"source[language]": "deutsch!"}):
        response = carol.http.patch("/api/v1/accounts/update_credentials", data=data)
        assert response.status_code == 422, (data, response.text)
    assert carol.api.preferences()["posting:default:visibility"] == "public"


def test_markers_remember_where_a_person_stopped_reading(new_user):
    dave = new_user()
    first = dave.api.status_post("eins")
    second = dave.api.status_post("zwei")
    saved = dave.api.markers_set(["home"], [first["id"]])
    assert str(saved["home"]["last_read_id"]) == str(first["id"])
    again = dave.api.markers_set(["home"], [second["id"]])
    assert again["home"]["version"] == saved["home"]["version"] + 1
    read = dave.api.markers_get(["home", "notifications"])
    assert str(read["home"]["last_read_id"]) == str(second["id"])
    assert "notifications" not in read
    for data in ({}, {"home[last_read_id]": "not-an-id"}):
        response = dave.http.post("/api/v1/markers", data=data)
        assert response.status_code == 422, response.text
    assert str(dave.api.markers_get(["home"])["home"]["last_read_id"]) == str(second["id"])
