"""The web interface's lists: my lists, one list's timeline and members (httpx, no JavaScript)."""

from __future__ import annotations

import re

import pytest

from web_support import WebClient

HOSTILE = "<script>alert(1)</script>"


pytestmark = pytest.mark.usefixtures("quiet_server_log")


def _lists(person) -> list[dict]:
    return person.http.get("/api/v1/lists").json()


def _members(person, list_id: str) -> list[str]:
    response = person.http.get(f"/api/v1/lists/{list_id}/accounts", params={"limit": 0})
    return [account["username"] for account in response.json()]


def _create(web: WebClient, **fields: str):
    return web.submit("/web/lists", "/web/lists",
                      {"title": "Colleagues", "replies_policy": "list", **fields})


def test_create_rename_and_delete_a_list_without_javascript(web, new_user):
    alice = new_user()
    web.sign_in(alice.username)
    empty = web.get("/web/lists")
    assert "You have no lists yet." in empty.text
    for words in ("Replies to people in this list", "Replies to anyone I follow", "No replies",
                  "no longer in your home timeline"):
        assert words in empty.text
    created = _create(web, title=f"Team {HOSTILE}", replies_policy="none", exclusive="on")
    list_id = re.fullmatch(r"/web/lists/(\d+)", created.url.path).group(1)
    assert HOSTILE not in created.text and "Team &lt;script&gt;" in created.text
    assert _lists(alice) == [{"id": list_id, "title": f"Team {HOSTILE}",
                              "replies_policy": "none", "exclusive": True}]
    assert f'data-live="/web/stream?stream=list&amp;list={list_id}"' in created.text
    assert "Team &lt;script&gt;" in web.get("/web/lists").text

    renamed = web.submit(f"/web/lists/{list_id}", f"/web/lists/{list_id}",
                         {"title": "Team", "replies_policy": "followed"})
    assert renamed.url.path == f"/web/lists/{list_id}"
    assert _lists(alice) == [{"id": list_id, "title": "Team", "replies_policy": "followed",
                              "exclusive": False}]

    confirmation = web.get(f"/web/lists/{list_id}/delete")
    assert "Delete the list “Team”?" in confirmation.text
    assert _lists(alice) != []  # asking is not deleting
    deleted = web.submit(f"/web/lists/{list_id}/delete", f"/web/lists/{list_id}/delete", {})
    assert deleted.url.path == "/web/lists" and _lists(alice) == []
    assert web.get(f"/web/lists/{list_id}").status_code == 404


def test_bad_list_forms_explain_and_change_nothing(web, new_user):
    alice = new_user()
    web.sign_in(alice.username)
    for fields in ({"title": "x" * 257}, {"title": "   "}, {"replies_policy": "everyone"}):
        page = _create(web, **fields)
        assert page.status_code == 422, fields
        assert 'role="alert"' in page.text
    assert _lists(alice) == []
    kept = _create(web).url.path
    list_id = kept.rsplit("/", 1)[1]
    page = web.submit(kept, kept, {"title": "y" * 5000, "replies_policy": "list"})
    assert page.status_code == 422 and 'role="alert"' in page.text
    assert _lists(alice)[0]["title"] == "Colleagues"
    assert web.get(f"/web/lists/{list_id}?max_id=nope").status_code == 422


def test_members_are_people_i_follow_added_by_username(web, new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    alice.api.account_follow(bob.id)
    bob.api.status_post(f"bob says hi {HOSTILE}")
    carol.api.status_post("carol is not in the list")
    web.sign_in(alice.username)
    page_path = _create(web).url.path
    list_id = page_path.rsplit("/", 1)[1]
    assert "No one is in this list yet." in web.get(page_path).text

    added = web.submit(page_path, f"{page_path}/members", {"username": f"@{bob.username}"})
    assert added.url.path == page_path
    assert _members(alice, list_id) == [bob.username]
    assert f"Remove<span class=\"visually-hidden\"> {bob.username} from the list" in added.text
    assert "bob says hi &lt;script&gt;" in added.text and HOSTILE not in added.text
    assert "carol is not in the list" not in added.text

    not_followed = web.submit(page_path, f"{page_path}/members", {"username": carol.username})
    assert not_followed.status_code == 422
    assert "You can add only people you follow." in not_followed.text
    for nobody in ("nobody_at_all_here", HOSTILE, "x" * 5000, ""):
        unknown = web.submit(page_path, f"{page_path}/members", {"username": nobody})
        assert unknown.status_code == 404, nobody
        assert "No one here has this username." in unknown.text and HOSTILE not in unknown.text
    again = web.submit(page_path, f"{page_path}/members", {"username": bob.username})
    assert again.status_code == 422 and 'role="alert"' in again.text
    assert _members(alice, list_id) == [bob.username]

    for bad in ("abc", "", carol.id):
        web.submit(page_path, f"{page_path}/members/remove", {"account_id": bad})
    assert _members(alice, list_id) == [bob.username]
    removed = web.submit(page_path, f"{page_path}/members/remove", {"account_id": bob.id})
    assert removed.url.path == page_path and _members(alice, list_id) == []


def test_someone_elses_list_does_not_exist_for_me(web, new_user):
    alice, mallory, bob = new_user(), new_user(), new_user()
    mallory.api.account_follow(bob.id)
    alices = alice.http.post("/api/v1/lists", data={"title": "Private circle"}).json()
    web.sign_in(mallory.username)
    base = f"/web/lists/{alices['id']}"
    for path in (base, f"{base}/delete", f"/web/stream?stream=list&list={alices['id']}"):
        page = web.get(path)
        assert page.status_code == 404 and "Private circle" not in page.text, path
    for action, fields in ((base, {"title": "mine now", "replies_policy": "list"}),
                           (f"{base}/delete", {}),
                           (f"{base}/members", {"username": bob.username}),
                           (f"{base}/members/remove", {"account_id": bob.id})):
        page = web.submit("/web/lists", action, fields)
        assert page.status_code == 404, action
    assert _lists(alice) == [alices] and _members(alice, alices["id"]) == []
    for wrong in ("abc", "99999999999", "-1", "1" * 40):
        assert web.get(f"/web/lists/{wrong}").status_code == 404, wrong


def test_list_forms_without_their_token_are_refused_and_change_nothing(web, new_user):
    alice, bob = new_user(), new_user()
    alice.api.account_follow(bob.id)
    web.sign_in(alice.username)
    page_path = _create(web).url.path
    list_id = page_path.rsplit("/", 1)[1]
    before = _lists(alice)
    for action, fields in (("/web/lists", {"title": "sneaky"}),
                           (page_path, {"title": "sneaky", "replies_policy": "none"}),
                           (f"{page_path}/delete", {}),
                           (f"{page_path}/members", {"username": bob.username})):
        for token in ({}, {"csrf": "0" * 64}):
            refused = web.http.post(action, data={**fields, **token})
            assert refused.status_code == 403, action
            assert "nothing was changed" in refused.text
    assert _lists(alice) == before and _members(alice, list_id) == []
    signed_out = WebClient(web.http.base_url)
    assert signed_out.get("/web/lists").url.path == "/web/sign-in"
    assert signed_out.get(page_path).url.path == "/web/sign-in"
    signed_out.close()


def test_the_list_timeline_pages_and_speaks_german(web, new_user):
    alice, bob = new_user(), new_user()
    alice.api.account_follow(bob.id)
    for number in range(22):
        bob.api.status_post(f"listed number {number}")
    web.sign_in(alice.username)
    page_path = _create(web).url.path
    web.submit(page_path, f"{page_path}/members", {"username": bob.username})
    first = web.get(page_path).text
    assert "listed number 21" in first and "listed number 0<" not in first
    older = re.search(r'href="(/web/lists/\d+\?max_id=\d+)"', first).group(1)
    second = web.get(older).text
    assert "listed number 0<" in second and "data-live" not in second
    web.submit(page_path, "/web/language", {"language": "de", "back": page_path})
    german = web.get(page_path).text
    assert "Menschen in dieser Liste" in german and "Diese Liste löschen" in german


def test_the_navigation_keeps_lists_marked_on_one_list(web, new_user):
    web.sign_in(new_user().username)
    one_list = _create(web)
    assert re.search(r'<a href="/web/lists" aria-current="true">', one_list.text)
    assert re.search(r'<a href="/web/lists" aria-current="page">', web.get("/web/lists").text)
