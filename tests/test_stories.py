"""A story shows a post only if every possible reader of the story may see it: refused when it
is added (422, nothing changed), and left out again whenever it is read. Editors save whole
stories with the version they started from; the last save wins and says whose it replaced.
(Its pages, embed, feed and exports: tests/test_story_pages.py.)"""

from __future__ import annotations

import secrets

import pytest

from support import make_brand, matrix_table
from web_support import WebClient, signed_in

pytestmark = pytest.mark.usefixtures("quiet_server_log")

STORIES = "/api/zwitscher/v1/stories"
VISIBILITIES = ("public", "unlisted", "private", "direct", "internal", "group")


@pytest.fixture(scope="module")
def cast(server, users):
    """An author who wrote one post of each visibility, all of which the curator may see
    (she follows him, is mentioned, is in the group); a second editor; a guest; a member."""
    admin = users.create(role="admin")
    author, curator, editor = users.create(), users.create(), users.create()
    guest, member = users.create(role="guest"), users.create()
    group = admin.http.post("/api/zwitscher/v1/groups", data={
        "name": "Stories", "slug": f"stories-{secrets.token_hex(3)}"}).json()
    admin.http.post(f"/api/zwitscher/v1/groups/{group['id']}/members", data={
        "account_ids[]": [author.id, curator.id], "role": "member"}).raise_for_status()
    curator.http.post(f"/api/v1/accounts/{author.id}/follow").raise_for_status()
    posts = {}
    for visibility in VISIBILITIES:
        word = "w" + secrets.token_hex(5)
        body = {"status": f"@{curator.username} {visibility} {word}", "visibility": visibility}
        if visibility == "group":
            body["group_ids"] = [group["id"]]
        made = author.http.post("/api/v1/statuses", json=body)
        assert made.status_code == 200, made.text
        posts[visibility] = made.json() | {"word": word}
    return {"author": author, "curator": curator, "editor": editor, "guest": guest,
            "member": member, "posts": posts}


def new_story(person, audience: str = "public", **fields) -> dict:
    made = person.http.post(STORIES, json={"title": "Open day", "audience": audience, **fields})
    assert made.status_code == 200, made.text
    return made.json()


def save(person, story: dict, blocks: list[dict], **fields):
    return person.http.put(f"{STORIES}/{story['id']}", json={
        "base_version": story["version"], "blocks": blocks, **fields})


def posted(post: dict) -> dict:
    return {"type": "post", "status_id": post["id"]}


ADMITTED = matrix_table(("public", "internal"), """
    # a story's audience may see: public story, internal story
    add  public     Y  Y
    add  unlisted   Y  Y
    add  private    .  .
    add  direct     .  .
    add  internal   .  Y
    add  group      .  .
""")


def test_a_post_joins_a_story_only_if_every_reader_of_the_story_may_see_it(cast):
    curator, posts = cast["curator"], cast["posts"]
    wrong = []
    for (_, visibility, audience), admitted in ADMITTED.items():
        story = new_story(curator, audience)
        answer = save(curator, story, [{"type": "heading", "text": "Hi"},
                                       posted(posts[visibility])])
        after = curator.http.get(f"{STORIES}/{story['id']}").json()
        if admitted and (answer.status_code != 200 or len(after["blocks"]) != 2):
            wrong.append(f"{visibility} refused from a {audience} story: {answer.text}")
        if not admitted and (answer.status_code != 422 or after["version"] != 1
                             or after["blocks"] != []):
            wrong.append(f"{visibility} admitted to a {audience} story: {answer.status_code}")
        if not admitted and "may see this post" not in answer.json().get("error", ""):
            wrong.append(f"{visibility} in a {audience} story: unclear {answer.text}")
    assert wrong == []


READERS = matrix_table(("anonymous", "guest", "member"), """
    # who reads a published story's page (and its posts)
    page  public     Y  Y  Y
    page  internal   .  .  Y
""")


def test_a_published_story_is_read_by_its_audience_alone(server, cast):
    curator, posts = cast["curator"], cast["posts"]
    browsers = {"anonymous": WebClient(server.base_url),
                "guest": signed_in(server, cast["guest"]),
                "member": signed_in(server, cast["member"])}
    stories = {}
    for audience in ("public", "internal"):
        story = new_story(curator, audience)
        blocks = [posted(posts["public"])] + ([posted(posts["internal"])]
                                              if audience == "internal" else [])
        assert save(curator, story, blocks).status_code == 200
        stories[audience] = curator.http.post(f"{STORIES}/{story['id']}/publish").json()
    wrong = []
    for (_, audience, reader), reads in READERS.items():
        url = stories[audience]["url"].removeprefix(server.base_url)
        page = browsers[reader].http.get(url, follow_redirects=False)
        found = page.status_code == 200 and posts["public"]["word"] in page.text
        if found != reads:
            wrong.append(f"{reader} on a {audience} story: {page.status_code}")
        if reader == "anonymous" and audience == "internal" and (
                page.status_code != 303 or "/web/sign-in" not in page.headers["location"]):
            wrong.append(f"anonymous not sent to sign in: {page.status_code}")
        if reader == "guest" and audience == "internal" and page.status_code != 404:
            wrong.append(f"guest on an internal story: {page.status_code}")
    assert wrong == []
    assert posts["internal"]["word"] in browsers["member"].get(
        stories["internal"]["url"].removeprefix(server.base_url)).text


def test_an_internal_post_keeps_a_story_internal(cast):
    """Making an internal story public while an internal post is in it is refused."""
    curator, posts = cast["curator"], cast["posts"]
    story = new_story(curator, "internal")
    saved = save(curator, story, [posted(posts["internal"])]).json()
    widened = curator.http.put(f"{STORIES}/{story['id']}", json={
        "base_version": saved["version"], "audience": "public"})
    assert widened.status_code == 422
    assert "public story cannot show it" in widened.json()["error"]
    after = curator.http.get(f"{STORIES}/{story['id']}").json()
    assert (after["audience"], after["version"], len(after["blocks"])) == ("internal", 2, 1)


def test_a_deleted_post_leaves_every_story(cast, server):
    author, curator = cast["author"], cast["curator"]
    word = "gone" + secrets.token_hex(4)
    post = author.http.post("/api/v1/statuses", json={"status": word}).json()
    story = new_story(curator)
    save(curator, story, [{"type": "text", "text": "Before"}, posted(post)]).raise_for_status()
    curator.http.post(f"{STORIES}/{story['id']}/publish").raise_for_status()
    urls = curator.http.get(f"{STORIES}/{story['id']}").json()
    assert word in curator.http.get(urls["export_json_url"]).text
    author.http.delete(f"/api/v1/statuses/{post['id']}").raise_for_status()
    for url in (urls["url"], urls["embed_url"], urls["feed_url"], urls["export_html_url"],
                urls["export_json_url"], f"{server.base_url}{STORIES}/{story['id']}",
                f"{server.base_url}{STORIES}/{story['id']}/export.json"):
        answer = curator.http.get(url)
        assert answer.status_code == 200 and word not in answer.text, url
    assert [b["type"] for b in curator.http.get(f"{STORIES}/{story['id']}").json()["blocks"]] \
        == ["text"]


def test_an_edited_post_shows_as_curated_with_a_link_to_it_now(cast):
    author, curator = cast["author"], cast["curator"]
    before, after = "before" + secrets.token_hex(4), "after" + secrets.token_hex(4)
    post = author.http.post("/api/v1/statuses", json={"status": before}).json()
    story = new_story(curator)
    save(curator, story, [posted(post)]).raise_for_status()
    shown = curator.http.get(f"{STORIES}/{story['id']}").json()["blocks"][0]["post"]
    assert shown["edited_since"] is False
    author.http.put(f"/api/v1/statuses/{post['id']}", json={"status": after}).raise_for_status()
    shown = curator.http.get(f"{STORIES}/{story['id']}").json()["blocks"][0]["post"]
    assert before in shown["curated"]["content"] and after not in shown["curated"]["content"]
    assert shown["edited_since"] is True and shown["url"].endswith(f"/{post['id']}")
    page = curator.http.get(curator.http.post(f"{STORIES}/{story['id']}/publish").json()["url"])
    assert before in page.text and after not in page.text
    assert "Edited since it was added to this story." in page.text
    assert f'href="/@{author.username}/{post["id"]}"' in page.text


def test_the_last_save_wins_and_names_the_save_it_replaced(cast):
    curator, editor = cast["curator"], cast["editor"]
    story = new_story(curator)
    added = curator.http.post(f"{STORIES}/{story['id']}/collaborators",
                              json={"username": editor.username})
    assert added.status_code == 200, added.text
    mine = editor.http.get(STORIES).json()
    assert [(s["id"], s["role"]) for s in mine] == [(story["id"], "collaborator")]
    theirs = save(editor, story, [{"type": "heading", "text": "Theirs"}])
    assert theirs.status_code == 200 and theirs.json()["conflict"] is None
    ours = save(curator, story, [{"type": "heading", "text": "Ours"}])
    assert ours.status_code == 200
    conflict = ours.json()["conflict"]
    assert [(c["username"], c["version"]) for c in conflict["overwritten"]] == \
        [(editor.username, 2)]
    assert conflict["overwritten"][0]["saved_at"]
    now = curator.http.get(f"{STORIES}/{story['id']}").json()
    assert (now["version"], now["blocks"]) == (3, [{"type": "heading", "text": "Ours"}])
    # Saving on from the newest version replaces nobody's.
    again = curator.http.put(f"{STORIES}/{story['id']}", json={"base_version": 3, "title": "x"})
    assert again.json()["conflict"] is None


def test_the_web_editor_shows_whose_save_it_replaced(server, cast):
    curator, editor = cast["curator"], cast["editor"]
    story = new_story(curator, title="Conflicted")
    curator.http.post(f"{STORIES}/{story['id']}/collaborators",
                      json={"account_id": editor.id}).raise_for_status()
    web = signed_in(server, curator)
    form = web.get(f"/web/stories/{story['id']}")
    assert 'name="base_version" value="1"' in form.text
    save(editor, story, [{"type": "text", "text": "Meanwhile"}]).raise_for_status()
    page = web.submit(f"/web/stories/{story['id']}", f"/web/stories/{story['id']}", {
        "base_version": "1", "title": "Conflicted", "summary": "", "audience": "public",
        "blocks": "0", "new_heading": "Mine", "op": "add"})
    assert page.status_code == 200
    assert "Your save replaced newer changes" in page.text
    assert f"@{editor.username} saved version 2" in page.text
    assert "Meanwhile" not in page.text and 'value="Mine"' in page.text


def test_only_managers_publish_delete_and_choose_collaborators(cast):
    curator, editor, guest, member = (cast["curator"], cast["editor"], cast["guest"],
                                      cast["member"])
    story = new_story(curator)
    path = f"{STORIES}/{story['id']}"
    refused = curator.http.post(f"{path}/collaborators", json={"username": guest.username})
    assert refused.status_code == 422 and "people of the organisation" in refused.json()["error"]
    curator.http.post(f"{path}/collaborators", json={"username": editor.username})
    assert editor.http.post(f"{path}/publish").status_code == 403
    assert editor.http.delete(path).status_code == 403
    assert editor.http.post(f"{path}/collaborators",
                            json={"username": member.username}).status_code == 403
    assert member.http.get(path).status_code == 404  # not published: not even there
    assert member.http.put(path, json={"base_version": 1, "title": "Mine"}).status_code == 404
    assert editor.http.delete(f"{path}/collaborators/{editor.id}").status_code == 200
    assert editor.http.get(path).status_code == 404
    assert curator.http.delete(path).status_code == 200
    assert curator.http.get(path).status_code == 404


def _bad_saves(public: dict) -> dict[str, dict]:
    text = {"type": "text", "text": "x"}
    return {
        "unknown post": {"blocks": [{"type": "post", "status_id": "1234567890123"}]},
        "another's address": {"blocks": [{"type": "post",
                                          "url": f"/@nobody_here/{public['id']}"}]},
        "oversized text": {"blocks": [{"type": "text", "text": "x" * 5001}]},
        "oversized heading": {"blocks": [{"type": "heading", "text": "x" * 201}]},
        "bad block type": {"blocks": [{"type": "video", "text": "x"}]},
        "post twice": {"blocks": [{"type": "post", "status_id": public["id"]},
                                  {"type": "post", "url": public["url"]}]},
        "too many blocks": {"blocks": [text] * 101},
        "no title": {"title": "  "},
        "bad audience": {"audience": "friends"},
        "future version": {"base_version": 9},
        "no version": {"base_version": None},
    }


def test_bad_saves_are_refused_and_change_nothing(cast):
    curator, public = cast["curator"], cast["posts"]["public"]
    story = new_story(curator, summary="Kept")
    save(curator, story, [{"type": "heading", "text": "Kept"}]).raise_for_status()
    before = curator.http.get(f"{STORIES}/{story['id']}").json()
    wrong = []
    for name, change in _bad_saves(public).items():
        body = {key: value for key, value in {"base_version": 2, **change}.items()
                if value is not None}
        answer = curator.http.put(f"{STORIES}/{story['id']}", json=body)
        if not 400 <= answer.status_code < 500 or "error" not in answer.json():
            wrong.append(f"{name}: {answer.status_code} {answer.text[:200]}")
    assert wrong == []
    assert curator.http.get(f"{STORIES}/{story['id']}").json() == before
    assert curator.http.post(STORIES, json={"title": "x" * 201}).status_code == 422
    assert cast["guest"].http.post(STORIES, json={"title": "x", "audience": "internal"}
                                   ).status_code == 422


def test_a_brand_accounts_story_is_managed_by_its_authors(users, cast):
    admin = users.create(role="admin")
    brand, jana, tom = make_brand(admin, users, username="stories")
    story = new_story(jana, owner_id=brand["id"])
    assert story["owner"]["username"] == brand["username"] and story["role"] == "manager"
    assert f"/@{brand['username']}/stories/" in story["url"]
    listed = {s["id"]: s["role"] for s in tom.http.get(STORIES).json()}
    assert listed == {story["id"]: "manager"}
    assert tom.http.post(f"{STORIES}/{story['id']}/publish").status_code == 200
    assert cast["member"].http.get(f"{STORIES}/{story['id']}").json()["published"] is True
    refused = cast["curator"].http.post(STORIES, json={"title": "x", "owner_id": brand["id"]})
    assert refused.status_code == 403
