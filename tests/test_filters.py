"""Filters as people manage them: v2 filters with keywords and statuses, the v1 API on top,
other people's filters out of reach, and bad input refused without changing anything."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
import pytest
from mastodon import MastodonAPIError, MastodonNotFoundError

from support import wait_until


def keywords(*words: str, whole_word: bool = False) -> list[dict]:
    return [{"keyword": word, "whole_word": whole_word} for word in words]


def test_a_filter_is_created_read_changed_and_deleted_with_its_keywords(new_user):
    alice = new_user()
    created = alice.api.create_filter_v2("Sport", ["home", "public"], "warn",
                                         keywords_attributes=keywords("football", "tennis"))
    assert created.title == "Sport"
    assert created.context == ["home", "public"]
    assert created.filter_action == "warn"
    assert created.expires_at is None
    assert [k.keyword for k in created.keywords] == ["football", "tennis"]
    assert created.statuses == []
    assert [f.id for f in alice.api.filters_v2()] == [created.id]
    assert alice.api.filter_v2(created.id).title == "Sport"

    football, tennis = created.keywords
    changed = alice.api.update_filter_v2(created.id, title="Ballsport", context=["thread"],
                                         filter_action="hide", keywords_attributes=[
                                             {"id": football.id, "_destroy": True},
                                             {"id": tennis.id, "keyword": "handball"},
                                             {"keyword": "rugby", "whole_word": True}])
    assert (changed.title, changed.context, changed.filter_action) == (
        "Ballsport", ["thread"], "hide")
    assert [(k.keyword, k.whole_word) for k in changed.keywords] == [
        ("handball", False), ("rugby", True)]

    alice.api.delete_filter_v2(created.id)
    assert alice.api.filters_v2() == []
    with pytest.raises(MastodonNotFoundError):
        alice.api.filter_v2(created.id)


def test_keywords_are_managed_one_by_one(new_user):
    alice = new_user()
    rule = alice.api.create_filter_v2("Wetter", ["home"], "warn")
    assert rule.keywords == []  # a filter without keywords is allowed, as in Mastodon
    added = alice.api.add_filter_keyword_v2(rule.id, "Regen", whole_word=True)
    assert (added.keyword, added.whole_word) == ("Regen", True)
    assert [k.id for k in alice.api.filter_keywords_v2(rule.id)] == [added.id]
    changed = alice.http.put(f"/api/v2/filters/keywords/{added.id}",
                             data={"keyword": "Schnee"}).json()
    assert changed["keyword"] == "Schnee"
    assert alice.http.get(f"/api/v2/filters/keywords/{added.id}").json() == changed
    alice.api.delete_filter_keyword_v2(added.id)
    assert alice.api.filter_keywords_v2(rule.id) == []


def test_statuses_are_added_to_and_removed_from_a_filter(new_user):
    alice, bob = new_user(), new_user()
    status = bob.api.status_post("Ein Beitrag, den Alice nicht mehr sehen will")
    rule = alice.api.create_filter_v2("Dieser eine", ["home"], "hide")
    entry = alice.api.add_filter_status_v2(rule.id, status.id)
    assert entry.status_id == status.id
    assert alice.api.filter_status_v2(entry.id).status_id == status.id
    assert [e.id for e in alice.api.filter_statuses_v2(rule.id)] == [entry.id]
    assert [s.status_id for s in alice.api.filter_v2(rule.id).statuses] == [status.id]
    alice.api.delete_filter_status_v2(entry.id)
    assert alice.api.filter_statuses_v2(rule.id) == []


def test_a_status_the_person_may_not_see_cannot_be_added_to_a_filter(new_user):
    alice, bob = new_user(), new_user()
    private = bob.api.status_post("Nur für Follower", visibility="private")
    rule = alice.api.create_filter_v2("Neugier", ["home"], "warn")
    response = alice.http.post(f"/api/v2/filters/{rule.id}/statuses",
                               data={"status_id": private.id})
    assert response.status_code == 404
    assert alice.api.filter_statuses_v2(rule.id) == []


def test_keywords_attributes_in_rails_form_encoding_become_one_keyword_each(new_user):
    alice = new_user()
    form = urlencode([
        ("title", "Formular"), ("context[]", "home"), ("context[]", "notifications"),
        ("keywords_attributes[][keyword]", "eins"),
        ("keywords_attributes[][whole_word]", "false"),
        ("keywords_attributes[][keyword]", "zwei"),
        ("keywords_attributes[][whole_word]", "true")])
    response = alice.http.post("/api/v2/filters", content=form, headers={
        "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200, response.text
    assert [(k["keyword"], k["whole_word"]) for k in response.json()["keywords"]] == [
        ("eins", False), ("zwei", True)]
    assert response.json()["context"] == ["home", "notifications"]


def test_v1_filters_are_single_keywords_of_v2_filters(new_user):
    alice = new_user()
    created = alice.api.filter_create("Baustelle", ["home", "notifications"],
                                      irreversible=True, whole_word=False)
    assert (created.phrase, created.irreversible, created.whole_word) == (
        "Baustelle", True, False)
    assert created.context == ["home", "notifications"]
    assert [f.id for f in alice.api.filters()] == [created.id]
    [v2] = alice.api.filters_v2()
    assert (v2.title, v2.filter_action) == ("Baustelle", "hide")
    assert [k.id for k in v2.keywords] == [created.id]

    updated = alice.api.filter_update(created.id, phrase="Umleitung", context=["public"],
                                      irreversible=False, whole_word=True)
    assert (updated.phrase, updated.context, updated.irreversible, updated.whole_word) == (
        "Umleitung", ["public"], False, True)
    assert alice.api.filter(created.id).phrase == "Umleitung"
    assert alice.api.filter_v2(v2.id).title == "Umleitung"

    alice.api.filter_delete(created.id)
    assert alice.api.filters() == []
    assert alice.api.filters_v2() == []


def test_v1_lists_every_keyword_and_refuses_to_change_a_shared_filters_context(new_user):
    alice = new_user()
    rule = alice.api.create_filter_v2("Zwei Wörter", ["home"], "warn",
                                      keywords_attributes=keywords("alpha", "beta"))
    assert sorted(f.phrase for f in alice.api.filters()) == ["alpha", "beta"]
    alpha = rule.keywords[0]
    with pytest.raises(MastodonAPIError) as refused:
        alice.api.filter_update(alpha.id, context=["public"])
    assert refused.value.args[1] == 422
    assert alice.api.filter_v2(rule.id).context == ["home"]
    assert alice.api.filter_update(alpha.id, phrase="gamma").phrase == "gamma"
    alice.api.filter_delete(alpha.id)  # takes the keyword only: the filter keeps the other
    assert [k.keyword for k in alice.api.filter_v2(rule.id).keywords] == ["beta"]


def test_other_peoples_filters_keywords_and_statuses_are_not_found(new_user):
    alice, mallory = new_user(), new_user()
    status = alice.api.status_post("Etwas")
    rule = alice.api.create_filter_v2("Privat", ["home"], "warn",
                                      keywords_attributes=keywords("geheim"))
    keyword = rule.keywords[0]
    entry = alice.api.add_filter_status_v2(rule.id, status.id)
    before = alice.http.get(f"/api/v2/filters/{rule.id}").json()
    attempts = [
        ("GET", f"/api/v2/filters/{rule.id}", None),
        ("PUT", f"/api/v2/filters/{rule.id}", {"title": "Meins"}),
        ("DELETE", f"/api/v2/filters/{rule.id}", None),
        ("GET", f"/api/v2/filters/{rule.id}/keywords", None),
        ("POST", f"/api/v2/filters/{rule.id}/keywords", {"keyword": "x"}),
        ("GET", f"/api/v2/filters/keywords/{keyword.id}", None),
        ("PUT", f"/api/v2/filters/keywords/{keyword.id}", {"keyword": "x"}),
        ("DELETE", f"/api/v2/filters/keywords/{keyword.id}", None),
        ("GET", f"/api/v2/filters/{rule.id}/statuses", None),
        ("POST", f"/api/v2/filters/{rule.id}/statuses", {"status_id": status.id}),
        ("GET", f"/api/v2/filters/statuses/{entry.id}", None),
        ("DELETE", f"/api/v2/filters/statuses/{entry.id}", None),
        ("GET", f"/api/v1/filters/{keyword.id}", None),
        ("PUT", f"/api/v1/filters/{keyword.id}", {"phrase": "x", "context[]": "home"}),
        ("DELETE", f"/api/v1/filters/{keyword.id}", None),
    ]
    for method, path, data in attempts:
        response = mallory.http.request(method, path, data=data)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["error"]
    assert mallory.api.filters_v2() == [] and mallory.api.filters() == []
    assert alice.http.get(f"/api/v2/filters/{rule.id}").json() == before


def test_filters_need_a_signed_in_person_and_well_formed_ids(server, new_user):
    assert httpx.get(f"{server.base_url}/api/v2/filters").status_code == 401
    assert httpx.get(f"{server.base_url}/api/v1/filters").status_code == 401
    alice = new_user()
    response = alice.http.get("/api/v2/filters/not-an-id")
    assert response.status_code == 404


@pytest.mark.parametrize("label, body", [
    ("no title", {"context": ["home"]}),
    ("blank title", {"title": "   ", "context": ["home"]}),
    ("no context", {"title": "t"}),
    ("unknown context", {"title": "t", "context": ["home", "everywhere"]}),
    ("unknown action", {"title": "t", "context": ["home"], "filter_action": "explode"}),
    ("negative expiry", {"title": "t", "context": ["home"], "expires_in": -5}),
    ("expiry not a number", {"title": "t", "context": ["home"], "expires_in": "soon"}),
    ("blank keyword", {"title": "t", "context": ["home"],
                       "keywords_attributes": [{"keyword": "  ", "whole_word": True}]}),
    ("10,000-character keyword", {"title": "t", "context": ["home"],
                                  "keywords_attributes": keywords("a" * 10_000)}),
    ("101 keywords", {"title": "t", "context": ["home"],
                      "keywords_attributes": keywords(*(f"k{n}" for n in range(101)))}),
    ("keywords not a list of objects", {"title": "t", "context": ["home"],
                                        "keywords_attributes": ["plain"]}),
    ("title too long", {"title": "t" * 201, "context": ["home"]}),
])
def test_a_bad_filter_is_refused_and_nothing_is_created(new_user, label, body):
    alice = new_user()
    response = alice.http.post("/api/v2/filters", json=body)
    assert response.status_code == 422, (label, response.text)
    assert response.json()["error"].startswith("Validation failed")
    assert alice.api.filters_v2() == []


def test_a_keyword_id_on_create_is_not_found_and_nothing_is_created(new_user):
    alice = new_user()
    response = alice.http.post("/api/v2/filters", json={
        "title": "t", "context": ["home"], "keywords_attributes": [{"id": "1", "keyword": "x"}]})
    assert response.status_code == 404
    assert alice.api.filters_v2() == []


def test_a_bad_change_leaves_the_whole_filter_as_it_was(new_user):
    alice = new_user()
    rule = alice.api.create_filter_v2("Stabil", ["home"], "warn",
                                      keywords_attributes=keywords("eins"))
    before = alice.http.get(f"/api/v2/filters/{rule.id}").json()
    for body in ({"title": "Neu", "context": ["nowhere"]},
                 {"title": "Neu", "keywords_attributes": [{"id": rule.keywords[0].id,
                                                           "_destroy": True},
                                                          {"keyword": "b" * 101}]},
                 {"title": "Neu", "keywords_attributes": [{"id": "99999", "keyword": "x"}]},
                 {"keywords_attributes": keywords(*(f"k{n}" for n in range(100)))}):
        response = alice.http.put(f"/api/v2/filters/{rule.id}", json=body)
        assert response.status_code in (404, 422), response.text
        assert alice.http.get(f"/api/v2/filters/{rule.id}").json() == before


def test_at_most_a_hundred_filters_and_keywords_per_filter(new_user):
    alice = new_user()
    for n in range(100):
        response = alice.http.post("/api/v2/filters", json={"title": f"f{n}",
                                                            "context": ["home"]})
        assert response.status_code == 200, response.text
    response = alice.http.post("/api/v2/filters", json={"title": "one too many",
                                                        "context": ["home"]})
    assert response.status_code == 422
    assert len(alice.api.filters_v2()) == 100

    rule = alice.api.filters_v2()[0]
    for n in range(100):
        alice.api.add_filter_keyword_v2(rule.id, f"w{n}")
    response = alice.http.post(f"/api/v2/filters/{rule.id}/keywords", data={"keyword": "w"})
    assert response.status_code == 422
    assert len(alice.api.filter_keywords_v2(rule.id)) == 100
    bob = new_user()
    alice.api.account_follow(bob.id)
    posted = bob.api.status_post("w5 und w50")
    shown = wait_until(lambda: next((s for s in alice.api.timeline_home() if s.id == posted.id),
                                    None))
    assert [(r.filter.id, r.keyword_matches) for r in shown.filtered] == [
        (rule.id, ["w5", "w50"])]
