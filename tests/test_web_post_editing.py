"""Editing and pinning one's own posts from their cards, without JavaScript (httpx): an edit
changes what the API reports (text, `edited_at`, descriptions, poll) and its earlier versions
are listed on the post's page; someone else's post is "not found" and unchanged; bad input
keeps the form with its reason; forms without their token change nothing; pinned posts come
first on the profile, and a direct post cannot be pinned."""

from __future__ import annotations

import html
from datetime import datetime

import httpx
import pytest

from media_support import image_bytes, upload
from web_support import WebClient, csrf_of

pytestmark = pytest.mark.usefixtures("quiet_server_log")


def _page_of(status: dict) -> str:
    return httpx.URL(status["url"]).path


def _edit(web: WebClient, status: dict, **fields: str) -> httpx.Response:
    return web.submit(f"/web/statuses/{status['id']}/edit",
                      f"/web/statuses/{status['id']}/edit", fields)


def test_the_card_offers_edit_and_pin_to_the_author_only(new_user, browser_of):
    alice, bob = new_user(), new_user()
    status = alice.api.status_post("Mine to edit", visibility="public")
    own = browser_of(alice).get(_page_of(status)).text
    assert f'href="/web/statuses/{status["id"]}/edit?back=' in own
    assert f'action="/web/statuses/{status["id"]}/pin"' in own and "Pin on my profile" in own
    others = browser_of(bob).get(_page_of(status)).text
    assert f"/web/statuses/{status['id']}/edit" not in others
    assert f"/web/statuses/{status['id']}/pin" not in others


def test_an_edit_changes_what_the_api_reports_and_is_listed_in_the_history(new_user,
                                                                           browser_of):
    alice = new_user()
    status = alice.api.status_post("Frist version with a typo", visibility="public")
    web = browser_of(alice)
    form = web.get(f"/web/statuses/{status['id']}/edit")
    assert form.status_code == 200 and "Edit post" in form.text
    assert ">Frist version with a typo</textarea>" in form.text

    saved = _edit(web, status, text="First version, corrected",
                  spoiler_text="About typos", back="/web/home")
    assert saved.status_code == 200 and saved.url.path == _page_of(status)
    assert 'role="status">Your changes are saved.' in saved.text
    seen = alice.api.status(status["id"])
    assert "First version, corrected" in seen["content"]
    assert seen["spoiler_text"] == "About typos" and seen["edited_at"]
    assert "edited " in saved.text and f'href="{_page_of(status)}#edit-history"' in saved.text

    history = saved.text.partition('id="edit-history"')[2]
    assert "Edit history" in saved.text
    assert history.index("First version, corrected") < history.index("Frist version with a typo")
    assert "Content warning: About typos" in history and "Original post" in history
    # The same versions the API serves, seen by anyone who may see the post.
    versions = alice.http.get(f"/api/v1/statuses/{status['id']}/history").json()
    assert len(versions) == 2
    assert "Frist version" in httpx.get(status["url"]).text.partition('id="edit-history"')[2]


def test_image_descriptions_and_the_poll_can_be_edited(new_user, browser_of):
    alice, bob = new_user(), new_user()
    media = upload(alice, image_bytes("PNG"), description="A squre").json()
    with_image = alice.http.post("/api/v1/statuses", json={
        "status": "A picture", "media_ids": [media["id"]], "visibility": "public"}).json()
    web = browser_of(alice)
    form = web.get(f"/web/statuses/{with_image['id']}/edit").text
    assert f'name="description_{media["id"]}"' in form and ">A squre</textarea>" in form
    _edit(web, with_image, text="A picture", **{f"description_{media['id']}": "A red square",
                                                 "sensitive": "true"})
    seen = alice.api.status(with_image["id"])
    assert seen["media_attachments"][0]["description"] == "A red square" and seen["sensitive"]

    poll = alice.http.post("/api/v1/statuses", json={
        "status": "Tea or coffee?", "visibility": "public",
        "poll": {"options": ["Tea", "Coffee"], "expires_in": 3600}}).json()
    bob.api.poll_vote(poll["poll"]["id"], [0])
    form = web.get(f"/web/statuses/{poll['id']}/edit").text
    assert 'value="Coffee"' in form and 'option value="keep" selected' in form
    # Only the text changes: the poll keeps its votes and its end.
    _edit(web, poll, text="Tea or coffee, really?", poll_option_1="Tea",
          poll_option_2="Coffee", poll_expires_in="keep")
    kept = alice.http.get(f"/api/v1/statuses/{poll['id']}").json()["poll"]
    assert kept["votes_count"] == 1 and kept["options"][0]["title"] == "Tea"
    # The form sends the time left (in whole seconds, as the API's expires_in), so the end
    # moves by less than a second.
    ends = [datetime.fromisoformat(p["expires_at"].replace("Z", "+00:00"))
            for p in (poll["poll"], kept)]
    assert abs((ends[1] - ends[0]).total_seconds()) < 2
    # New answers start the vote afresh.
    _edit(web, poll, text="Tea or coffee, really?", poll_option_1="Tea",
          poll_option_2="Coffee", poll_option_3="Water", poll_expires_in="86400")
    fresh = alice.api.status(poll["id"])["poll"]
    assert [o["title"] for o in fresh["options"]] == ["Tea", "Coffee", "Water"]
    assert fresh["votes_count"] == 0


def test_someone_elses_post_is_not_found_and_unchanged(new_user, browser_of):
    alice, bob = new_user(), new_user()
    status = alice.api.status_post("Only I may change this", visibility="public")
    web = browser_of(bob)
    assert web.get(f"/web/statuses/{status['id']}/edit").status_code == 404
    token = csrf_of(web.get("/web/home"))
    refused = web.http.post(f"/web/statuses/{status['id']}/edit",
                            data={"csrf": token, "text": "Changed by Bob"})
    assert refused.status_code == 404 and "Changed by Bob" not in refused.text
    seen = alice.api.status(status["id"])
    assert "Only I may change this" in seen["content"] and seen["edited_at"] is None
    boost = bob.api.status_reblog(status["id"])
    for wrong in (boost["id"], "99999999999", "x", "-1"):
        assert web.get(f"/web/statuses/{wrong}/edit").status_code == 404, wrong


def test_bad_input_keeps_the_form_with_its_reason(new_user, browser_of):
    alice = new_user()
    status = alice.api.status_post("Stays as it is", visibility="public")
    web = browser_of(alice)
    for fields, reason in (({"text": "x" * 501}, "Text character limit of 500 exceeded"),
                           ({"text": "   "}, "Text can't be blank"),
                           ({"text": "short", "spoiler_text": "w" * 600},
                            "Text character limit of 500 exceeded"),
                           ({"text": "nul \x00 byte"}, "The form contains a NUL character")):
        answer = _edit(web, status, **fields)
        assert answer.status_code == 422, fields
        assert 'role="alert"' in answer.text and reason in html.unescape(answer.text), fields
        assert 'id="text"' in answer.text
    kept = _edit(web, status, text="y" * 501)
    assert "y" * 501 + "</textarea>" in kept.text
    seen = alice.api.status(status["id"])
    assert "Stays as it is" in seen["content"] and seen["edited_at"] is None
    assert len(alice.http.get(f"/api/v1/statuses/{status['id']}/history").json()) == 1


def test_forms_without_their_token_change_nothing(server, new_user, browser_of):
    alice = new_user()
    status = alice.api.status_post("Guarded", visibility="public")
    web = browser_of(alice)
    for path, fields in ((f"/web/statuses/{status['id']}/edit", {"text": "Forged"}),
                         (f"/web/statuses/{status['id']}/pin", {}),
                         (f"/web/statuses/{status['id']}/edit",
                          {"text": "Forged", "csrf": "0" * 64})):
        answer = web.http.post(path, data={"back": "/web/home", **fields})
        assert answer.status_code == 403 and "nothing was changed" in answer.text, path
    seen = alice.api.status(status["id"])
    assert "Guarded" in seen["content"] and not seen["pinned"]
    anonymous = httpx.post(f"{server.base_url}/web/statuses/{status['id']}/edit",
                           data={"csrf": "x", "text": "Forged"}, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/web/sign-in"


def test_pinned_posts_come_first_on_the_profile(new_user, browser_of):
    alice, bob = new_user(), new_user()
    older = alice.api.status_post("An older post worth pinning", visibility="public")
    quiet = alice.api.status_post("A quiet pinned post", visibility="unlisted")
    alice.api.status_post("The newest post", visibility="public")
    web = browser_of(alice)
    profile = f"/@{alice.username}"
    for status in (older, quiet):
        pinned = web.submit(profile, f"/web/statuses/{status['id']}/pin", {"back": profile})
        assert pinned.status_code == 200 and pinned.url.path == profile
    assert {s["id"] for s in alice.http.get(
        f"/api/v1/accounts/{alice.id}/statuses", params={"pinned": "true"}).json()} \
        == {older["id"], quiet["id"]}

    for page in (web.get(profile).text, httpx.get(older["url"].rsplit("/", 1)[0]).text):
        timeline = page.partition('id="posts-heading"')[2]
        assert timeline.index("A quiet pinned post") < timeline.index("An older post") \
            < timeline.index("The newest post")
        assert timeline.count("An older post worth pinning") == 1
        assert timeline.count('class="boost pinned-mark"') == 2
    # The menu words the state: the pinned post offers to unpin it.
    own = web.get(profile).text
    assert f'action="/web/statuses/{older["id"]}/unpin"' in own and "Unpin from my profile" in own
    assert 'class="boost pinned-mark"' not in browser_of(bob).get(
        f"{profile}?max_id={older['id']}").text

    web.submit(profile, f"/web/statuses/{older['id']}/unpin", {"back": profile})
    assert not alice.api.status(older["id"])["pinned"]
    timeline = web.get(profile).text.partition('id="posts-heading"')[2]
    assert timeline.index("The newest post") < timeline.index("An older post")


def test_a_direct_or_followers_only_post_cannot_be_pinned(new_user, browser_of):
    alice = new_user()
    direct = alice.api.status_post("@nobody just a note", visibility="direct")
    private = alice.api.status_post("For followers", visibility="private")
    web = browser_of(alice)
    page = web.get(_page_of(private)).text
    assert "Pin on my profile" not in page and f"/web/statuses/{private['id']}/edit" in page
    for status in (direct, private):
        refused = web.submit("/web/home", f"/web/statuses/{status['id']}/pin",
                             {"back": "/web/home"})
        assert refused.status_code == 422, status["visibility"]
        assert "Private and direct statuses cannot be pinned" in refused.text
        assert not alice.api.status(status["id"])["pinned"]
