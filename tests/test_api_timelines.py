"""Timelines over plain HTTP: paging by id and by date, Link headers, public and tag filters."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime, timedelta

import httpx

from support import wait_until


def post(user, text: str, **fields) -> str:
    response = user.http.post("/api/v1/statuses", data={"status": text, **fields})
    assert response.status_code == 200, response.text
    return response.json()["id"]


def ids(user, path: str, **params) -> list[str]:
    response = user.http.get(path, params=params)
    assert response.status_code == 200, response.text
    return [s["id"] for s in response.json()]


def test_home_pages_with_max_since_and_min_id(new_user):
    alice = new_user()
    posted = [post(alice, f"Eintrag {n}") for n in range(6)]
    newest = list(reversed(posted))
    home = "/api/v1/timelines/home"
    assert ids(alice, home) == newest
    assert ids(alice, home, limit=2) == newest[:2]
    assert ids(alice, home, limit=2, max_id=newest[1]) == newest[2:4]
    # since_id: the newest entries after the id; min_id: those right after it.
    assert ids(alice, home, limit=2, since_id=newest[5]) == newest[:2]
    assert ids(alice, home, limit=2, min_id=newest[5]) == newest[3:5]
    assert ids(alice, home, max_id=newest[0], since_id=newest[3]) == newest[1:3]
    assert ids(alice, home, min_id=newest[0]) == []


def test_ids_are_strings_newest_first(new_user):
    alice = new_user()
    for n in range(3):
        post(alice, f"Sortiert {n}")
    statuses = alice.http.get("/api/v1/timelines/home").json()
    assert all(isinstance(s["id"], str) for s in statuses)
    as_numbers = [int(s["id"]) for s in statuses]
    assert as_numbers == sorted(as_numbers, reverse=True)


def test_link_header_walks_the_home_timeline_both_ways(new_user):
    alice = new_user()
    posted = list(reversed([post(alice, f"Seite {n}") for n in range(5)]))
    first = alice.http.get("/api/v1/timelines/home", params={"limit": 2})
    assert first.links["next"]["url"].endswith(f"max_id={posted[1]}")
    assert "limit=2" in first.links["next"]["url"]
    assert first.links["prev"]["url"].endswith(f"min_id={posted[0]}")
    seen, url = [], first.links["next"]["url"]
    while url:
        page = alice.http.get(url)
        if not page.json():
            break
        seen += [s["id"] for s in page.json()]
        last, url = page, page.links.get("next", {}).get("url")
    assert seen == posted[2:]
    back = alice.http.get(last.links["prev"]["url"]).json()
    assert [s["id"] for s in back] == posted[2:4]  # the two right above the last page
    assert alice.http.get(first.links["prev"]["url"]).json() == []


def test_link_header_keeps_other_parameters_and_ignores_a_forged_host(server, new_user):
    alice = new_user()
    posted = list(reversed([post(alice, f"Verlinkt {n}") for n in range(3)]))
    page = alice.http.get("/api/v1/timelines/public",
                          params={"local": "true", "limit": 1, "max_id": posted[0]})
    assert page.links["next"]["url"] == (
        f"{server.base_url}/api/v1/timelines/public?local=true&limit=1&max_id={posted[1]}")
    forged = alice.http.get("/api/v1/timelines/home", params={"limit": 1},
                            headers={"Host": "evil.example/phish?"})
    assert forged.links["next"]["url"].startswith(f"{server.base_url}/api/v1/timelines/home?")


def test_limit_is_capped_and_a_bad_id_is_refused(new_user):
    alice = new_user()
    assert alice.http.get("/api/v1/timelines/home", params={"limit": 1000}).status_code == 200
    refused = alice.http.get("/api/v1/timelines/home", params={"max_id": "abc"})
    assert refused.status_code == 422
    assert "max_id" in refused.json()["error"]


def test_home_needs_a_signed_in_person(server):
    assert httpx.get(f"{server.base_url}/api/v1/timelines/home").status_code == 401


def test_public_timeline_shows_public_posts_only(server, new_user):
    alice = new_user()
    public = post(alice, "Öffentlich")
    unlisted = post(alice, "Still", visibility="unlisted")
    private = post(alice, "Privat", visibility="private")
    reply = post(alice, "Auch öffentlich", in_reply_to_id=public)
    for params in ({}, {"local": "true"}):
        seen = ids(alice, "/api/v1/timelines/public", limit=40, **params)
        assert seen.index(reply) < seen.index(public)
        assert unlisted not in seen and private not in seen
    anonymous = httpx.get(f"{server.base_url}/api/v1/timelines/public",
                          params={"limit": 40}).json()
    assert public in [s["id"] for s in anonymous]
    assert ids(alice, "/api/v1/timelines/public", remote="true") == []


def test_public_timeline_leaves_out_reblogs(new_user):
    alice, bob = new_user(), new_user()
    original = post(alice, "Original")
    reblog = bob.http.post(f"/api/v1/statuses/{original}/reblog").json()["id"]
    seen = ids(bob, "/api/v1/timelines/public", limit=40)
    assert original in seen and reblog not in seen


def test_tag_timeline_with_any_all_and_none(new_user):
    alice = new_user()
    a, b, c = (f"{name}{secrets.token_hex(3)}" for name in ("apfel", "birne", "kirsche"))
    only_a = post(alice, f"#{a}")
    a_and_b = post(alice, f"#{a} #{b}")
    only_b = post(alice, f"#{b}")
    a_and_c = post(alice, f"#{a.upper()} #{c}")
    post(alice, f"#{a} aber nur für Follower", visibility="private")
    tag = f"/api/v1/timelines/tag/{a}"
    assert ids(alice, tag) == [a_and_c, a_and_b, only_a]
    assert ids(alice, f"/api/v1/timelines/tag/{a.upper()}") == [a_and_c, a_and_b, only_a]
    assert ids(alice, tag, **{"any[]": b}) == [a_and_c, only_b, a_and_b, only_a]
    assert ids(alice, tag, **{"all[]": b}) == [a_and_b]
    assert ids(alice, tag, **{"none[]": c}) == [a_and_b, only_a]
    assert ids(alice, tag, limit=1, max_id=a_and_b) == [only_a]
    assert ids(alice, f"/api/v1/timelines/tag/{c}", local="true") == [a_and_c]


def test_an_id_made_from_a_datetime_pages_by_date(new_user):
    alice = new_user()
    before = post(alice, "Vorher")

    def ms_now() -> int:
        return time.time_ns() // 1_000_000

    # A boundary strictly after the first post's millisecond and before the second's.
    assert wait_until(lambda: ms_now() > int(before) >> 16)
    boundary = ms_now()
    assert wait_until(lambda: ms_now() > boundary)
    after = post(alice, "Nachher")
    as_id = str(boundary << 16)
    path = f"/api/v1/accounts/{alice.id}/statuses"
    assert ids(alice, path, max_id=as_id) == [before]
    assert ids(alice, path, min_id=as_id) == [after]
    assert ids(alice, "/api/v1/timelines/home", since_id=as_id) == [after]


def test_a_blank_tagged_filter_lists_every_status_of_the_account(new_user):
    """As Mastodon (`params[:tagged].present?`): `tagged=` filters nothing (it was a 500)."""
    alice = new_user()
    tagged, plain = post(alice, "Mit #etikett"), post(alice, "Ohne")
    path = f"/api/v1/accounts/{alice.id}/statuses"
    assert ids(alice, path, tagged="") == [plain, tagged]
    assert ids(alice, path, tagged="etikett") == [tagged]


def test_mastodon_py_pages_by_datetime(new_user):
    alice = new_user()
    before = post(alice, "Vor der vollen Sekunde")
    # Mastodon.py turns a datetime into an id at whole seconds: wait for the next one.
    second = datetime.fromtimestamp((int(before) >> 16) // 1000 + 1, tz=UTC)
    assert wait_until(lambda: datetime.now(UTC) > second + timedelta(milliseconds=5),
                      timeout=3)
    after = post(alice, "Nach der vollen Sekunde")
    assert [s.id for s in alice.api.timeline_home(max_id=second)] == [before]
    assert [s.id for s in alice.api.timeline_home(min_id=second)] == [after]
