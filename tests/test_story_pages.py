"""Stories where people read them, without JavaScript: the editor's plain forms, the page, the
embed other sites frame (no scripts, any site may frame it), the Atom feed, the HTML and JSON
exports; hostile HTML typed into a story comes out inert in all of them."""

from __future__ import annotations

import re
import secrets
import xml.etree.ElementTree as ET

import lxml.html
import pytest

from web_support import WebClient, signed_in

pytestmark = pytest.mark.usefixtures("quiet_server_log")

STORIES = "/api/zwitscher/v1/stories"
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = ('<script>alert(1)</script><img src=x onerror="alert(2)">'
           '<a href="javascript:alert(3)">x</a>')


@pytest.fixture(scope="module")
def people(server, users):
    author, curator = users.create(display_name="Ana Autorin"), users.create()
    words = {name: name + secrets.token_hex(4) for name in ("first", "second", "private")}
    posts = {name: author.http.post("/api/v1/statuses", json={
        "status": f"{word} https://example.org/{name}",
        "visibility": "private" if name == "private" else "public"}).json()
        for name, word in words.items()}
    curator.http.post(f"/api/v1/accounts/{author.id}/follow").raise_for_status()
    return {"author": author, "curator": curator, "posts": posts, "words": words,
            "web": signed_in(server, curator)}


def _story_id(page) -> str:
    return re.search(r"/web/stories/(\d+)", str(page.url)).group(1)


def _editor_form(page) -> dict[str, str]:
    """The editor's fields as the browser would send them (buttons left out)."""
    form = lxml.html.fromstring(page.text).xpath('//form[@class="story-editor"]')[0]
    return {name: value or "" for name, value in form.form_values()}


def _press(web: WebClient, page, op: str, **changes: str):
    return web.http.post(str(page.url).split("?")[0].split("#")[0],
                         data={**_editor_form(page), **changes, "op": op})


def _published(people, blocks: list[dict], **fields) -> dict:
    curator = people["curator"]
    story = curator.http.post(STORIES, json={"title": "Story", **fields}).json()
    saved = curator.http.put(f"{STORIES}/{story['id']}",
                             json={"base_version": 1, "blocks": blocks})
    assert saved.status_code == 200, saved.text
    return curator.http.post(f"{STORIES}/{story['id']}/publish").json()


def test_the_editor_builds_a_story_with_plain_forms(server, people):
    web, posts, words = people["web"], people["posts"], people["words"]
    page = web.submit("/web/stories", "/web/stories", {
        "title": "Tag der offenen Tür", "summary": "Was geschah", "audience": "public"})
    assert page.status_code == 200 and "Tag der offenen Tür" in page.text
    page = _press(web, page, "add", new_post=posts["first"]["url"])
    page = _press(web, page, "add", new_heading="Am Morgen", new_text="Es begann früh.")
    page = _press(web, page, "add", new_post=f"/web/statuses/{posts['second']['id']}")
    assert "Your changes are saved." in page.text
    page = _press(web, page, "up:1")  # the heading above the first post
    page = _press(web, page, "remove:2")  # the text
    page = _press(web, page, "save", title="Open day")
    published = web.submit(str(page.url), f"/web/stories/{_story_id(page)}/publish", {})
    snippet = lxml.html.fromstring(published.text).get_element_by_id("snippet").text
    story_url = f"{server.base_url}/@{people['curator'].username}/stories/{_story_id(page)}"
    assert snippet.startswith(f'<iframe src="{story_url}/embed"')
    assert f'<blockquote cite="{story_url}"><p><a href="{story_url}">Open day</a>' in snippet
    reader = WebClient(server.base_url).get(story_url)
    assert reader.status_code == 200
    text = reader.text
    assert text.index("Am Morgen") < text.index(words["first"]) < text.index(words["second"])
    assert "Es begann früh" not in text
    tree = lxml.html.fromstring(text)
    assert tree.xpath('//meta[@property="og:title"]/@content') == ["Open day"]
    assert tree.xpath('//meta[@property="og:url"]/@content') == [story_url]
    assert not tree.xpath("//script[not(@src)]")


def test_a_post_its_readers_may_not_see_is_refused_in_the_readers_language(server, people,
                                                                          users):
    follower = users.create()
    follower.http.post(f"/api/v1/accounts/{people['author'].id}/follow").raise_for_status()
    web = signed_in(server, follower)
    web.submit("/web/stories", "/web/language", {"language": "de", "back": "/web/stories"})
    page = web.submit("/web/stories", "/web/stories", {"title": "Privat", "audience": "public"})
    refused = _press(web, page, "add", new_post=people["posts"]["private"]["url"],
                     new_heading="Bleibt im Formular")
    assert refused.status_code == 422
    assert "deshalb kann eine öffentliche Geschichte ihn nicht zeigen" in refused.text
    assert 'value="Bleibt im Formular"' in refused.text  # nothing typed is lost
    story = follower.http.get(f"{STORIES}/{_story_id(page)}").json()
    assert (story["version"], story["blocks"]) == (1, [])


def test_the_embed_may_be_framed_anywhere_and_runs_nothing(server, people):
    story = _published(people, [{"type": "post", "status_id": people["posts"]["first"]["id"]}])
    embed = WebClient(server.base_url).get(story["embed_url"])
    assert embed.status_code == 200
    policy = embed.headers["content-security-policy"]
    assert "frame-ancestors *" in policy and "default-src 'none'" in policy
    assert "script-src" not in policy and "'unsafe-inline'" not in policy
    assert len(embed.headers.get_list("content-security-policy")) == 1
    assert "x-frame-options" not in embed.headers
    assert people["words"]["first"] in embed.text
    assert not lxml.html.fromstring(embed.text).xpath("//script")
    page = WebClient(server.base_url).get(story["url"])
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


def test_the_exports_and_the_feed_are_documents_of_their_own(server, people):
    words, author = people["words"], people["author"]
    story = _published(people, [
        {"type": "heading", "text": "Morning"}, {"type": "text", "text": "See https://example.org"},
        {"type": "post", "status_id": people["posts"]["first"]["id"]},
        {"type": "post", "status_id": people["posts"]["second"]["id"]}], summary="Two posts")
    anyone = WebClient(server.base_url)
    exported = anyone.get(story["export_html_url"])
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    tree = lxml.html.fromstring(exported.content)
    assert tree.findtext(".//h1") == "Story" and tree.findtext(".//h2") == "Morning"
    assert [q.get("cite") for q in tree.iter("blockquote")] == [
        f"{server.base_url}/@{author.username}/{people['posts'][n]['id']}"
        for n in ("first", "second")]
    assert tree.xpath("//style") and not tree.xpath("//script | //link[@rel='stylesheet']")
    assert all(href.startswith("http") for href in tree.xpath("//a/@href"))
    document = anyone.get(story["export_json_url"]).json()
    assert [block["type"] for block in document["blocks"]] == ["heading", "text", "post", "post"]
    assert document["blocks"][1]["html"].count('href="https://example.org"') == 1
    assert words["second"] in document["blocks"][3]["post"]["curated"]["content"]
    feed = ET.fromstring(anyone.get(story["feed_url"]).content)
    assert feed.findtext(f"{ATOM}title") == "Story"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
        f"{server.base_url}/@{author.username}/{people['posts'][n]['id']}"
        for n in ("first", "second")]
    assert entries[0].findtext(f"{ATOM}title").startswith("Ana Autorin: first")
    first = entries[0].findtext(f"{ATOM}content")
    assert first.index("Morning") < first.index(words["first"])


def test_hostile_html_in_a_story_comes_out_inert(server, people):
    story = _published(people, [{"type": "heading", "text": HOSTILE},
                                {"type": "text", "text": HOSTILE}],
                       summary=HOSTILE, title="T " + HOSTILE)
    anyone = WebClient(server.base_url)
    for url in (story["url"], story["embed_url"], story["export_html_url"]):
        tree = lxml.html.fromstring(anyone.get(url).text)
        assert not tree.xpath("//script[not(@src)] | //img[@src='x']"), url
        assert not tree.xpath("//@*[starts-with(name(), 'on')]"), url
        assert not [h for h in tree.xpath("//@href") if "javascript" in h.lower()], url
        assert HOSTILE in tree.text_content(), url  # shown as the text it is
    feed = ET.fromstring(anyone.get(story["feed_url"]).content)
    assert feed.findtext(f"{ATOM}title") == "T " + HOSTILE
    document = anyone.get(story["export_json_url"]).json()
    assert document["blocks"][0]["text"] == HOSTILE
    assert "<script" not in document["blocks"][1]["html"]
    assert "<script" not in document["summary_html"]


def test_outsiders_get_nothing_of_a_draft_or_an_internal_story(server, people, users):
    curator, post = people["curator"], people["posts"]["first"]
    draft = curator.http.post(STORIES, json={"title": "Draft"}).json()
    internal = _published(people, [{"type": "post", "status_id": post["id"]}],
                          audience="internal")
    anyone, insider = WebClient(server.base_url), signed_in(server, users.create())
    for story in (draft, internal):
        for url in (story["embed_url"], story["feed_url"], story["export_html_url"],
                    story["export_json_url"]):
            assert anyone.http.get(url, follow_redirects=False).status_code == 404, url
    assert insider.get(draft["url"]).status_code == 404
    assert insider.get(internal["export_json_url"]).json()["audience"] == "internal"
    assert people["words"]["first"] in insider.get(internal["embed_url"]).text
