"""Monitors (docs/monitoring.md): saved queries matched at ingest, their timelines, their
streams, who reads them, and what they refuse."""

from __future__ import annotations

import json
import secrets

import pytest

from monitor_support import PATH, make_monitor, timeline_ids, word
from support import wait_until

pytestmark = pytest.mark.usefixtures("quiet_server_log")


def post(user, text: str, **params) -> dict:
    return user.api.status_post(text, **params)


def shows(user, monitor: dict, status) -> bool:
    return bool(wait_until(lambda: str(status["id"]) in timeline_ids(user, monitor)))


def settled(user, monitor: dict, status) -> bool:
    """Whether the status is in the timeline once a later, surely matching post arrived (the
    fan-out of one post finishes before the next one's)."""
    marker = post(user, f"{monitor['_marker']} marker")
    assert shows(user, monitor, marker)
    return str(status["id"]) in timeline_ids(user, monitor)


@pytest.fixture
def watcher(new_user):
    return new_user()


def watching(user, **body) -> dict:
    marker = word()
    keywords = body.pop("keywords", []) + [marker]
    monitor = make_monitor(user, keywords=keywords, **body)
    monitor["_marker"] = marker
    return monitor


# Matching rules.

def test_a_keyword_matches_whatever_its_case(watcher, new_user):
    brand = word()
    monitor = watching(watcher, keywords=[brand])
    status = post(new_user(), f"I love {brand.upper()} products")
    assert shows(watcher, monitor, status)


def test_a_phrase_matches_only_as_a_whole(watcher, new_user):
    brand = word()
    monitor = watching(watcher, keywords=[f"{brand} rocket"])
    author = new_user()
    apart = post(author, f"{brand} has a rocket")
    together = post(author, f"the new {brand}   Rocket is here")
    assert shows(watcher, monitor, together)
    assert not settled(watcher, monitor, apart)


def test_a_whole_word_keyword_skips_longer_words(watcher, new_user):
    brand = word()
    monitor = watching(watcher, keywords=[{"term": brand, "whole_word": True}])
    author = new_user()
    inside = post(author, f"{brand}ismus is not it")
    alone = post(author, f"Über {brand}, endlich!")
    assert shows(watcher, monitor, alone)
    assert not settled(watcher, monitor, inside)


def test_an_exclusion_vetoes_a_match(watcher, new_user):
    brand = word()
    monitor = watching(watcher, keywords=[brand], exclusions=["job offer"])
    author = new_user()
    vetoed = post(author, f"{brand} job offer: apply now")
    kept = post(author, f"{brand} is great")
    assert shows(watcher, monitor, kept)
    assert not settled(watcher, monitor, vetoed)


def test_languages_limit_what_matches(watcher, new_user):
    brand = word()
    monitor = make_monitor(watcher, keywords=[brand], languages=["de"])
    author = new_user()
    english = post(author, f"{brand} in English", language="en")
    german = post(author, f"{brand} auf Deutsch", language="de")
    assert shows(watcher, monitor, german)
    assert str(english["id"]) not in timeline_ids(watcher, monitor)


def test_hashtags_and_accounts_match(watcher, new_user):
    tag = "tag" + secrets.token_hex(4)
    author, other = new_user(), new_user()
    monitor = watching(watcher, hashtags=[f"#{tag}"], account_ids=[author.id])
    tagged = post(other, f"Look: #{tag.upper()}")
    by_author = post(author, "anything at all")
    assert shows(watcher, monitor, tagged)
    assert shows(watcher, monitor, by_author)


def test_regular_expression_look_alikes_are_literal_text(watcher, new_user):
    monitor = watching(watcher, keywords=[".*", "(a|b)", r"\d+"])
    author = new_user()
    plain = post(author, "a b 123 nothing special here")
    literal = post(author, r"the pattern \d+ is literal")
    assert shows(watcher, monitor, literal)
    assert not settled(watcher, monitor, plain)


def test_an_edit_that_no_longer_matches_leaves_the_timeline(watcher, new_user):
    brand = word()
    monitor = watching(watcher, keywords=[brand])
    author = new_user()
    status = post(author, f"{brand} for everyone")
    assert shows(watcher, monitor, status)
    author.api.status_update(status["id"], "nothing to see")
    assert wait_until(lambda: str(status["id"]) not in timeline_ids(watcher, monitor))
    other = post(author, "plain words")
    author.api.status_update(other["id"], f"now about {brand}")
    assert shows(watcher, monitor, other)


def test_a_deleted_post_leaves_the_timeline(watcher, new_user):
    brand = word()
    monitor = watching(watcher, keywords=[brand])
    author = new_user()
    status = post(author, f"{brand} soon gone")
    assert shows(watcher, monitor, status)
    author.api.status_delete(status["id"])
    assert str(status["id"]) not in timeline_ids(watcher, monitor)


def test_the_timeline_pages_with_link_headers(watcher, new_user):
    brand = word()
    monitor = make_monitor(watcher, keywords=[brand])
    author = new_user()
    statuses = [post(author, f"{brand} number {n}") for n in range(3)]
    assert shows(watcher, monitor, statuses[-1])
    wait_until(lambda: len(timeline_ids(watcher, monitor)) == 3)
    first = watcher.http.get(f"{PATH}/{monitor['id']}/statuses", params={"limit": 2})
    assert [s["id"] for s in first.json()] == [str(statuses[2]["id"]), str(statuses[1]["id"])]
    assert 'rel="next"' in first.headers["link"]
    older = watcher.http.get(f"{PATH}/{monitor['id']}/statuses",
                             params={"max_id": statuses[1]["id"]})
    assert [s["id"] for s in older.json()] == [str(statuses[0]["id"])]


# Who sees what.

def _group(admin, members) -> str:
    response = admin.http.post("/api/zwitscher/v1/groups", data={
        "slug": "team" + secrets.token_hex(3), "name": "Team"})
    assert response.status_code == 200, response.text
    group_id = response.json()["id"]
    if members:
        added = admin.http.post(f"/api/zwitscher/v1/groups/{group_id}/members",
                                data={"account_ids[]": [m.id for m in members]})
        assert added.status_code == 200, added.text
    return group_id


def test_a_team_monitor_shows_each_reader_only_what_they_may_see(new_user):
    admin = new_user(role="admin")
    owner, member, guest, outsider = new_user(), new_user(), new_user(role="guest"), new_user()
    author = new_user()
    team = _group(admin, [owner, member, guest, author])
    elsewhere = _group(admin, [outsider, author])
    brand = word()
    monitor = make_monitor(owner, team_id=team, keywords=[brand])
    public = post(author, f"{brand} public")
    internal = author.http.post("/api/v1/statuses", data={
        "status": f"{brand} internal", "visibility": "internal"}).json()
    private = post(author, f"{brand} private", visibility="private")
    direct = post(author, f"{brand} direct @{member.username}", visibility="direct")
    to_team = author.http.post("/api/v1/statuses", data={
        "status": f"{brand} for the team", "visibility": "group", "group_ids[]": [team]}).json()
    to_other = author.http.post("/api/v1/statuses", data={
        "status": f"{brand} for others", "visibility": "group",
        "group_ids[]": [elsewhere]}).json()
    assert "id" in to_team and "id" in to_other, (to_team, to_other)
    last = post(author, f"{brand} last")
    assert shows(owner, monitor, last)
    seen = {name: set(timeline_ids(user, monitor)) for name, user in
            (("owner", owner), ("member", member), ("guest", guest))}
    ids = {name: str(status["id"]) for name, status in (
        ("public", public), ("internal", internal), ("private", private),
        ("direct", direct), ("to_team", to_team), ("to_other", to_other))}
    assert {n for n, i in ids.items() if i in seen["owner"]} == {"public", "internal", "to_team"}
    assert {n for n, i in ids.items() if i in seen["member"]} == {"public", "internal",
                                                                  "to_team"}
    assert {n for n, i in ids.items() if i in seen["guest"]} == {"public", "to_team"}
    for user in (outsider,):
        assert user.http.get(f"{PATH}/{monitor['id']}/statuses").status_code == 404
        assert user.http.get(f"{PATH}/{monitor['id']}").status_code == 404
    # A member reads it but may not change it.
    assert member.http.patch(f"{PATH}/{monitor['id']}", json={"name": "x"}).status_code == 403


def test_a_creator_who_leaves_the_team_loses_its_monitor_and_managers_keep_it(new_user):
    admin, creator, manager = new_user(role="admin"), new_user(), new_user()
    team = _group(admin, [creator])
    added = admin.http.post(f"/api/zwitscher/v1/groups/{team}/members",
                            data={"account_ids[]": [manager.id], "role": "manager"})
    assert added.status_code == 200, added.text
    monitor = make_monitor(creator, team_id=team, keywords=[word()])
    address = f"{PATH}/{monitor['id']}"
    left = admin.http.request("DELETE", f"/api/zwitscher/v1/groups/{team}/members",
                              data={"account_ids[]": [creator.id]})
    assert left.json() == {"removed": [str(creator.id)]}, left.text
    assert creator.http.get(address).status_code == 404
    assert creator.http.patch(address, json={"name": "Mine now"}).status_code == 404
    assert manager.http.patch(address, json={"name": "Ours"}).json()["name"] == "Ours"
    assert admin.http.get(address).status_code == 404  # not in the team: not theirs to read


def test_a_personal_monitor_holds_only_what_its_owner_may_see(watcher, new_user):
    brand = word()
    monitor = watching(watcher, keywords=[brand])
    author = new_user()
    hidden = post(author, f"{brand} only for followers", visibility="private")
    mentioned = post(author, f"{brand} for you @{watcher.username}", visibility="direct")
    assert shows(watcher, monitor, mentioned)
    assert not settled(watcher, monitor, hidden)


def test_anonymous_readers_and_tokens_without_the_scope_are_refused(server, watcher):
    import httpx
    monitor = make_monitor(watcher, keywords=[word()])
    assert httpx.get(f"{server.base_url}{PATH}/{monitor['id']}/statuses").status_code == 401
    assert httpx.get(f"{server.base_url}{PATH}").status_code == 401


def test_the_stream_sends_new_matches_the_reader_may_see(sse, watcher, new_user):
    brand = word()
    monitor = make_monitor(watcher, keywords=[brand])
    stream = sse(f"{PATH}/{monitor['id']}/stream", watcher)
    author = new_user()
    hidden = post(author, f"{brand} for followers", visibility="private")
    shown = post(author, f"{brand} for all")
    data = stream.wait_for("update", lambda d: json.loads(d)["id"] == str(shown["id"]))
    assert brand in json.loads(data)["content"]
    assert str(hidden["id"]) not in stream.status_ids()
    author.api.status_delete(shown["id"])
    assert stream.wait_for("delete") == str(shown["id"])


def test_someone_elses_stream_is_not_found(sse, watcher, new_user):
    monitor = make_monitor(watcher, keywords=[word()])
    other = new_user()
    assert other.http.get(f"{PATH}/{monitor['id']}/stream").status_code == 404


# Bad input: refused with a clear 422, nothing stored.

def count(user) -> int:
    return len(user.http.get(PATH).json())


@pytest.mark.parametrize("body, message", [
    ({"keywords": [f"k{n}" for n in range(10_000)]}, "at most 200 terms"),
    ({"keywords": [f"k{n}" for n in range(201)]}, "at most 200 terms"),
    ({"keywords": [""]}, "empty"),
    ({"keywords": ["   \t "]}, "empty"),
    ({"keywords": ["x" * 101]}, "at most 100 characters"),
    ({"keywords": []}, "at least one"),
    ({"keywords": ["ok"], "name": "   "}, "needs a name"),
    ({"keywords": ["ok"], "name": "n" * 101}, "at most 100"),
    ({"keywords": ["ok"], "languages": ["english!"]}, "language"),
])
def test_bad_queries_are_refused_and_nothing_is_stored(watcher, body, message):
    before = count(watcher)
    response = watcher.http.post(PATH, json={"name": "watch", **body})
    assert response.status_code == 422, response.text
    assert message in response.json()["error"]
    assert count(watcher) == before


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/hook", "http://10.1.2.3/hook", "http://[::1]/hook",
    "http://localhost:8080/hook", "http://169.254.169.254/latest/meta-data",
    "http://metadata.google.internal/", "http://[::ffff:127.0.0.1]/", "ftp://example.org/",
    "http://0.0.0.0/", "http://192.168.1.1/",
])
def test_webhooks_into_our_own_network_are_refused(watcher, url):
    before = count(watcher)
    response = watcher.http.post(PATH, json={"name": "hook", "keywords": ["x"],
                                             "webhook_url": url})
    assert response.status_code == 422, response.text
    assert count(watcher) == before


def test_bad_ids_and_other_peoples_monitors_are_not_found(watcher, new_user):
    mine = make_monitor(watcher, keywords=[word()])
    other = new_user()
    for path in ("abc", "0", "-1", "99999999999999999999999", "1.5"):
        assert other.http.get(f"{PATH}/{path}").status_code == 404
    assert other.http.get(f"{PATH}/{mine['id']}").status_code == 404
    assert other.http.patch(f"{PATH}/{mine['id']}", json={"name": "mine"}).status_code == 404
    assert other.http.delete(f"{PATH}/{mine['id']}").status_code == 404
    assert watcher.http.get(f"{PATH}/{mine['id']}").json()["name"] == "watch"


def test_a_monitor_is_changed_and_deleted_by_its_owner(watcher):
    monitor = make_monitor(watcher, keywords=["one"], alerts={"email": True})
    changed = watcher.http.patch(f"{PATH}/{monitor['id']}", json={"keywords": ["two"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["keywords"] == [{"term": "two", "whole_word": False}]
    assert changed.json()["alerts"]["email"] is True
    replaced = watcher.http.put(f"{PATH}/{monitor['id']}", json={"name": "new",
                                                                 "hashtags": ["x"]})
    assert replaced.json()["keywords"] == [] and replaced.json()["hashtags"] == ["x"]
    assert watcher.http.delete(f"{PATH}/{monitor['id']}").status_code == 200
    assert watcher.http.get(f"{PATH}/{monitor['id']}").status_code == 404
