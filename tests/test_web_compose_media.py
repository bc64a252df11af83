"""The compose form with images, polls and groups (httpx, no JavaScript): what is sent arrives
as the API would make it; what is wrong is explained, what was typed is kept, nothing is
posted and no upload is left behind."""

from __future__ import annotations

import re

import httpx
import pytest

from media_support import image_bytes, stored_files
from support import wait_until
from web_support import WebClient, csrf_of

HOSTILE = "<script>alert(1)</script>"


def _compose(web: WebClient, fields: dict, files: dict | None = None,
             page: str = "/web/home") -> httpx.Response:
    token = csrf_of(web.get(page))
    return web.http.post("/web/statuses", data={"csrf": token, "visibility": "public",
                                                **fields}, files=files or {})


def test_an_image_with_its_description_is_posted(web, new_user):
    alice = new_user()
    web.sign_in(alice.username)
    page = web.get("/web/home").text
    assert 'enctype="multipart/form-data"' in page
    assert ">Description for people who cannot see the image</label>" in page
    answer = _compose(web, {"text": "Look at this", "description_1": "A red square, " + HOSTILE},
                      {"media_1": ("red.png", image_bytes("PNG"), "image/png")})
    assert answer.status_code == 200 and answer.url.path == "/web/home"
    posted = alice.api.account_statuses(alice.id)[0]
    assert [m["description"] for m in posted["media_attachments"]] == [
        "A red square, " + HOSTILE]
    assert 'alt="A red square, &lt;script&gt;alert(1)&lt;/script&gt;"' in answer.text
    assert "<script>alert(1)" not in answer.text


def test_a_text_file_named_png_is_refused_and_nothing_is_posted(web, new_user, server):
    alice = new_user()
    web.sign_in(alice.username)
    before = stored_files(server)
    answer = _compose(web, {"text": "Keep this text", "description_2": "my words"},
                      {"media_1": ("real.png", image_bytes("PNG"), "image/png"),
                       "media_2": ("notes.png", b"just some text, not a picture", "image/png")})
    assert answer.status_code == 422
    assert "Attachment 2" in answer.text and "not a JPEG, PNG, GIF or WebP image" in answer.text
    assert 'role="alert"' in answer.text
    assert ">Keep this text</textarea>" in answer.text and ">my words</textarea>" in answer.text
    assert alice.api.account_statuses(alice.id) == []
    assert wait_until(lambda: stored_files(server) == before)


def test_an_image_with_a_refused_post_leaves_no_upload_behind(web, new_user, server):
    alice = new_user()
    web.sign_in(alice.username)
    before = stored_files(server)
    answer = _compose(web, {"text": "x" * 501},
                      {"media_1": ("red.png", image_bytes("PNG"), "image/png")})
    assert answer.status_code == 422 and 'role="alert"' in answer.text
    assert alice.api.account_statuses(alice.id) == []
    assert wait_until(lambda: stored_files(server) == before)


def test_more_than_the_api_allows_is_not_offered(web, new_user):
    web.sign_in(new_user().username)
    page = web.get("/web/home").text
    assert 'name="media_4"' in page and 'name="media_5"' not in page
    assert 'name="poll_option_4"' in page and 'name="poll_option_5"' not in page


def test_a_poll_is_created(web, new_user):
    alice = new_user()
    web.sign_in(alice.username)
    page = web.get("/web/home").text
    assert "<summary>Add a poll</summary>" in page and '<option value="300">' in page
    answer = _compose(web, {"text": "Lunch?", "poll_option_1": "Pizza", "poll_option_2": HOSTILE,
                            "poll_option_3": "", "poll_expires_in": "3600",
                            "poll_multiple": "true"})
    assert answer.status_code == 200
    poll = alice.api.account_statuses(alice.id)[0]["poll"]
    assert [o["title"] for o in poll["options"]] == ["Pizza", HOSTILE] and poll["multiple"]
    assert "<script>alert(1)" not in answer.text


@pytest.mark.parametrize("poll", [
    {"poll_option_1": "only one"},
    {"poll_option_1": "same", "poll_option_2": "same"},
    {"poll_option_1": "x" * 51, "poll_option_2": "y"},
    {"poll_option_1": "a", "poll_option_2": "b", "poll_expires_in": "10"},
    {"poll_option_1": "a", "poll_option_2": "b", "poll_expires_in": "99999999"},
    {"poll_option_1": "a", "poll_option_2": "b", "poll_expires_in": "soon"},
])
def test_invalid_polls_are_refused_and_nothing_is_posted(web, new_user, poll):
    alice = new_user()
    web.sign_in(alice.username)
    answer = _compose(web, {"text": "Question", "poll_expires_in": "3600", **poll})
    assert answer.status_code == 422 and 'role="alert"' in answer.text
    assert ">Question</textarea>" in answer.text
    assert f'value="{poll["poll_option_1"]}"' in answer.text
    assert alice.api.account_statuses(alice.id) == []


def test_a_reply_from_a_status_page_returns_to_it(web, new_user):
    alice, bob = new_user(), new_user()
    original = bob.api.status_post("Question on a page", visibility="public")
    page = httpx.URL(original["url"]).path
    web.sign_in(alice.username)
    answer = _compose(web, {"text": f"@{bob.username} my answer", "in_reply_to_id": original["id"],
                            "back": page}, page=page)
    assert answer.url.path == page
    assert "my answer" in answer.text.partition('aria-current="true"')[2]
    assert alice.api.account_statuses(alice.id)[0]["in_reply_to_id"] == original["id"]
    # A redirect elsewhere is never taken from the form.
    elsewhere = _compose(web, {"text": "again", "back": "https://evil.example/"})
    assert elsewhere.url.host == "127.0.0.1" and elsewhere.url.path == "/web/home"


def test_group_posts_are_offered_only_to_members_of_a_group(web, new_user, users):
    admin, member, outsider = new_user(role="admin"), new_user(), new_user()
    group = admin.http.post("/api/zwitscher/v1/groups", data={
        "slug": f"team{member.id}", "name": f"Team {HOSTILE}"})
    if group.status_code != 200:
        pytest.skip(f"groups cannot be created here: {group.text}")
    group = group.json()
    admin.http.post(f"/api/zwitscher/v1/groups/{group['id']}/members",
                    data={"account_ids[]": member.id}).raise_for_status()
    web.sign_in(outsider.username)
    assert 'value="group"' not in web.get("/web/home").text
    members = WebClient(web.http.base_url)
    members.sign_in(member.username)
    page = members.get("/web/home").text
    assert 'value="group"' in page and "Team &lt;script&gt;" in page
    refused = _compose(members, {"text": "no group named", "visibility": "group"})
    assert refused.status_code == 422
    posted = _compose(members, {"text": "for the team", "visibility": "group",
                                "group_ids": group["id"]})
    assert posted.status_code == 200
    status = member.api.account_statuses(member.id)[0]
    assert status["zwitscher"]["visibility"] == "group"
    assert [g["id"] for g in status["zwitscher"]["groups"]] == [group["id"]]
    members.close()


def test_a_reply_through_a_cards_reply_link_returns_to_the_page_it_came_from(web, new_user):
    alice, bob = new_user(), new_user()
    root = bob.api.status_post("Root post", visibility="public")
    answer = bob.api.status_post("Answer post", in_reply_to_id=root["id"], visibility="public")
    page = httpx.URL(root["url"]).path
    web.sign_in(alice.username)
    link = re.search(rf'href="(/web/home\?reply_to={answer["id"]}&amp;back=[^"#]+)#compose"',
                     web.get(page).text).group(1).replace("&amp;", "&")
    form = web.get(link).text
    assert f'name="back" value="{page}"' in form
    done = _compose(web, {"text": "via the link", "in_reply_to_id": answer["id"], "back": page},
                    page=link)
    assert done.url.path == page and "via the link" in done.text
