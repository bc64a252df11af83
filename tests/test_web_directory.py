"""Finding people without JavaScript: the profile directory (`/web/directory`, what
`GET /api/v1/directory` lists) and the home page's "Who to follow" box (the suggestions of
`GET /api/v2/suggestions`, dismissed as `DELETE /api/v1/suggestions/:id` does)."""

from __future__ import annotations

import re

import pytest

from web_support import WebClient, csrf_of

pytestmark = pytest.mark.usefixtures("quiet_server_log")

PERSON = re.compile(r'<li class="person">.*?href="/@([^"]+)"', re.S)


def _listed(web: WebClient, query: str = "order=new") -> list[str]:
    page = web.get(f"/web/directory?{query}")
    assert page.status_code == 200
    return PERSON.findall(page.text)


def _api_suggestions(user) -> list[str]:
    return [entry["account"]["id"] for entry in user.http.get("/api/v2/suggestions").json()]


def test_the_directory_lists_people_who_chose_it_and_no_one_else(web, new_user):
    viewer, listed, unlisted = new_user(), new_user(), new_user()
    unlisted.api.account_update_credentials(discoverable=False)
    web.sign_in(viewer.username)
    shown = _listed(web)
    assert listed.username in shown
    assert unlisted.username not in shown
    api = [account["username"] for account in
           listed.http.get("/api/v1/directory", params={"order": "new", "limit": 20}).json()]
    assert shown == api


def test_newest_first_and_recently_active_first(web, new_user):
    viewer, poster = new_user(), new_user(display_name="Pat Poster")
    newest = new_user()
    web.sign_in(viewer.username)
    assert _listed(web, "order=new")[0] == newest.username
    poster.api.status_post("Fresh from the warehouse", visibility="public")
    assert _listed(web, "order=active")[0] == poster.username
    page = web.get("/web/directory?order=active").text
    assert 'aria-current="page">Recently active<' in page
    assert "Pat Poster" in page


def test_following_from_the_directory_returns_to_it(web, new_user):
    viewer, other = new_user(), new_user()
    web.sign_in(viewer.username)
    path = "/web/directory?order=new"
    assert f'action="/web/accounts/{other.id}/follow"' in web.get(path).text
    page = web.submit(path, f"/web/accounts/{other.id}/follow", {"back": path})
    assert page.url.path == "/web/directory" and page.url.query == b"order=new"
    assert f'action="/web/accounts/{other.id}/unfollow"' in page.text
    assert viewer.api.account_relationships(other.id)[0]["following"] is True


def test_pages_of_the_directory(web, new_user):
    viewer = new_user()
    listed = viewer.http.get("/api/v1/directory", params={"limit": 80}).json()
    for _ in range(21 - len(listed)):
        new_user()
    web.sign_in(viewer.username)
    first = web.get("/web/directory?order=new").text
    assert "Previous page" not in first and "Next page" in first
    second = web.get("/web/directory?order=new&offset=20")
    assert "Previous page" in second.text
    assert set(PERSON.findall(second.text)).isdisjoint(PERSON.findall(first))
    assert len(PERSON.findall(first)) == 20
    beyond = web.get("/web/directory?order=new&offset=999999")
    assert beyond.status_code == 200 and "No more people." in beyond.text


@pytest.mark.parametrize("query", ["order=%3Cscript%3E", "order=", "order=new&offset=-5",
                                   "offset=abc", "order=active&offset=" + "9" * 40])
def test_odd_addresses_get_a_clear_answer(web, new_user, query):
    web.sign_in(new_user().username)
    page = web.get(f"/web/directory?{query}")
    assert page.status_code in (200, 422)
    assert "<script>" not in page.text
    if page.status_code == 422:
        assert "order must be active or new" in page.text


def test_the_directory_is_for_signed_in_people_and_in_the_navigation(web, new_user, server):
    anonymous = WebClient(server.base_url)
    assert anonymous.get("/web/directory").url.path == "/web/sign-in"
    anonymous.close()
    web.sign_in(new_user().username)
    assert 'href="/web/directory"' in web.get("/web/home").text


def _friend_of_a_friend(new_user):
    """Ann follows Ben, who follows Cleo: Cleo is suggested to Ann."""
    ann, ben = new_user(), new_user()
    cleo = new_user(display_name="Cleo Suggested")
    ann.api.account_follow(ben.id)
    ben.api.account_follow(cleo.id)
    return ann, cleo


def test_home_suggests_people_to_follow_and_links_the_directory(web, new_user):
    ann, cleo = _friend_of_a_friend(new_user)
    web.sign_in(ann.username)
    home = web.get("/web/home").text
    assert "Who to follow" in home and 'href="/web/directory"' in home
    assert f'action="/web/suggestions/{cleo.id}/dismiss"' in home
    assert "Cleo Suggested" in home
    assert cleo.id in _api_suggestions(ann)

    page = web.submit("/web/home", f"/web/accounts/{cleo.id}/follow", {"back": "/web/home"})
    assert page.url.path == "/web/home"
    assert f"/web/suggestions/{cleo.id}/dismiss" not in page.text
    assert ann.api.account_relationships(cleo.id)[0]["following"] is True


def test_a_dismissed_suggestion_is_gone_for_good(web, new_user):
    ann, cleo = _friend_of_a_friend(new_user)
    web.sign_in(ann.username)
    page = web.submit("/web/home", f"/web/suggestions/{cleo.id}/dismiss",
                      {"back": "/web/home"})
    assert page.url.path == "/web/home"
    assert f"/web/suggestions/{cleo.id}/dismiss" not in page.text
    assert cleo.id not in _api_suggestions(ann)
    assert ann.api.account_relationships(cleo.id)[0]["following"] is False


def test_dismissing_needs_the_forms_token_and_a_real_id(web, new_user):
    ann, cleo = _friend_of_a_friend(new_user)
    web.sign_in(ann.username)
    for token in (None, "0" * 64):
        data = {"back": "/web/home"} | ({"csrf": token} if token else {})
        refused = web.http.post(f"/web/suggestions/{cleo.id}/dismiss", data=data)
        assert refused.status_code == 403
    assert cleo.id in _api_suggestions(ann)
    token = csrf_of(web.get("/web/home"))
    assert web.http.post("/web/suggestions/abc/dismiss",
                         data={"csrf": token}).status_code == 404
    outside = web.http.post(f"/web/suggestions/{cleo.id}/dismiss",
                            data={"csrf": token, "back": "https://evil.example/"})
    assert outside.url.host == "127.0.0.1" and outside.url.path == "/web/home"
