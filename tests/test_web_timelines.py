"""The web interface's public timeline, hashtag pages and feeds (httpx, no JavaScript)."""

from __future__ import annotations

import re
import secrets
import xml.etree.ElementTree as ET

import httpx
import pytest

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = "<script>alert(1)</script>"


pytestmark = pytest.mark.usefixtures("quiet_server_log")


def _post_every_visibility(person, text: str) -> None:
    """`text` in a public post, and `secret …` versions of it in every other visibility."""
    person.api.status_post(f"{text} {HOSTILE}", visibility="public")
    for visibility in ("unlisted", "private", "direct"):
        person.api.status_post(f"secret {visibility} {text}", visibility=visibility)
    person.http.post("/api/v1/statuses", data={
        "status": f"secret internal {text}", "visibility": "internal"}).raise_for_status()


def _feed_texts(response: httpx.Response) -> str:
    """The feed parsed as XML (so it is well-formed), as the text of all its elements."""
    root = ET.fromstring(response.content)
    return " ".join(element.text or "" for element in root.iter())


def test_the_public_timeline_shows_public_posts_only_to_signed_in_people(web, new_user):
    alice, bob = new_user(), new_user()
    marker = f"pub{secrets.token_hex(4)}"
    _post_every_visibility(alice, marker)
    assert web.get("/web/public").url.path == "/web/sign-in"
    web.sign_in(bob.username)
    page = web.get("/web/public")
    assert page.status_code == 200
    assert marker in page.text and "secret" not in page.text
    assert HOSTILE not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert 'data-live="/web/stream?stream=public"' in page.text
    assert '<a href="/web/public" aria-current="page">Everything</a>' in page.text
    local = web.get("/web/public?local=true")
    assert marker in local.text and "secret" not in local.text
    assert 'data-live="/web/stream?stream=public%3Alocal"' in local.text
    assert 'aria-current="page">This server</a>' in local.text
    assert "both show the same posts" in local.text
    media = web.get("/web/public?only_media=true")
    assert marker not in media.text
    assert "Show all posts" in media.text
    web.submit("/web/public", "/web/language", {"language": "de", "back": "/web/public"})
    assert "Dieser Server" in web.get("/web/public").text


def test_the_public_timeline_pages_without_javascript_and_keeps_its_switches(web, new_user):
    alice = new_user()
    marker = f"page{secrets.token_hex(4)}"
    for number in range(25):
        alice.api.status_post(f"{marker} number {number}")
    web.sign_in(alice.username)
    first = web.get("/web/public?local=true").text
    assert f"{marker} number 24" in first and f"{marker} number 0<" not in first
    older = re.search(r'href="(/web/public\?[^"]*max_id=\d+)"', first).group(1)
    assert "local=true" in older
    second = web.get(older.replace("&amp;", "&"))
    assert f"{marker} number 0<" in second.text and f"{marker} number 24" not in second.text
    assert "data-live" not in second.text  # an older page does not jump with new posts
    assert "Latest posts" in second.text
    for bad in ("?max_id=abc", "?min_id=-1", "?limit=lots"):
        refused = web.get(f"/web/public{bad}")
        assert refused.status_code == 422 and "<h1>" in refused.text, bad


def test_the_public_hashtag_page_and_its_feeds_show_public_posts_only(server, new_user):
    alice = new_user()
    tag = f"Tag{secrets.token_hex(4)}"
    _post_every_visibility(alice, f"#{tag} hello")
    page = httpx.get(f"{server.base_url}/tags/{tag.lower()}")
    assert page.status_code == 200
    assert f"<title>#{tag} – Zwitscher</title>" in page.text
    assert f'<meta property="og:title" content="#{tag}">' in page.text
    assert f'href="/tags/{tag.lower()}.atom"' in page.text
    assert f'href="/tags/{tag.lower()}.rss"' in page.text
    assert "hello" in page.text and "secret" not in page.text and HOSTILE not in page.text
    assert "data-live" not in page.text and "<form method=\"post\" action=\"/web/tags" \
        not in page.text
    atom = httpx.get(f"{server.base_url}/tags/{tag.lower()}.atom")
    assert atom.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(atom.content)
    assert root.tag == f"{ATOM}feed" and len(root.findall(f"{ATOM}entry")) == 1
    assert HOSTILE in _feed_texts(atom) and "secret" not in atom.text
    rss = httpx.get(f"{server.base_url}/tags/{tag}.rss")
    assert rss.headers["content-type"].startswith("application/rss+xml")
    assert ET.fromstring(rss.content).tag == "rss"
    assert len(ET.fromstring(rss.content).findall("channel/item")) == 1
    assert "hello" in _feed_texts(rss) and "secret" not in rss.text
    assert httpx.get(f"{server.base_url}/tags/{tag}.json").status_code == 404
    german = httpx.get(f"{server.base_url}/tags/{tag}", headers={"Accept-Language": "de"})
    assert "Öffentliche Beiträge mit diesem Hashtag" in german.text


def test_hashtags_in_posts_link_to_a_page_that_exists(server, new_user):
    alice = new_user()
    tag = f"Linked{secrets.token_hex(3)}"
    status = alice.api.status_post(f"about #{tag}")
    link = re.search(r'href="([^"]+/tags/[^"]+)"', status["content"]).group(1)
    assert link == status["tags"][0]["url"]
    page = httpx.get(link)
    assert page.status_code == 200 and "about" in page.text


def test_a_signed_in_person_follows_and_unfollows_a_hashtag(web, new_user):
    alice = new_user()
    tag = f"Follow{secrets.token_hex(3)}"
    alice.api.status_post(f"#{tag} first")
    web.sign_in(alice.username)
    page = web.get(f"/web/tags/{tag}")
    assert f'data-live="/web/stream?stream=hashtag&amp;tag={tag}"' in page.text
    assert f"Follow #{tag}</button>" in page.text and "first" in page.text
    refused = web.http.post(f"/web/tags/{tag}/follow", data={})
    assert refused.status_code == 403
    assert alice.api.followed_tags() == []
    followed = web.submit(f"/web/tags/{tag}", f"/web/tags/{tag}/follow", {})
    assert followed.url.path == f"/web/tags/{tag}"
    assert f"Unfollow #{tag}</button>" in followed.text
    assert [t["name"] for t in alice.api.followed_tags()] == [tag]
    unfollowed = web.submit(f"/web/tags/{tag}", f"/web/tags/{tag}/unfollow", {})
    assert f"Follow #{tag}</button>" in unfollowed.text
    assert alice.api.followed_tags() == []
    anonymous = httpx.get(f"{web.http.base_url}/web/tags/{tag}", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == f"/tags/{tag}"


@pytest.mark.parametrize("name", [
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "a" * 4000, "..%2F..%2Fetc%2Fpasswd", "12345",
    "x.y", "%00", "tag%20with%20space"])
def test_hostile_tag_names_are_not_found_and_never_break_a_page(web, server, new_user, name):
    web.sign_in(new_user().username)
    for path in (f"/tags/{name}", f"/tags/{name}.atom", f"/tags/{name}.rss",
                 f"/web/tags/{name}"):
        response = web.get(path)
        # A NUL byte is refused before any page sees it.
        assert response.status_code in ((400, 404) if "%00" in name else (404,)), path
        assert "<script>alert" not in response.text
    refused = web.submit("/web/public", f"/web/tags/{name}/follow", {})
    assert refused.status_code in (400, 404)


def test_a_unicode_hashtag_has_its_pages_and_feeds(server, new_user):
    alice = new_user()
    tag = f"café{secrets.token_hex(2)}"
    alice.api.status_post(f"#{tag} au lait")
    page = httpx.get(f"{server.base_url}/tags/{tag}")
    assert page.status_code == 200 and f"#{tag}" in page.text and "au lait" in page.text
    feed = httpx.get(f"{server.base_url}/tags/{tag}.atom")
    assert "au lait" in _feed_texts(feed)


def test_an_account_has_an_rss_feed_of_its_public_posts(server, new_user):
    alice = new_user(display_name="A <script>1</script>")
    _post_every_visibility(alice, "rss hello")
    feed = httpx.get(f"{server.base_url}/@{alice.username}.rss")
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("application/rss+xml")
    channel = ET.fromstring(feed.content).find("channel")
    assert channel.findtext("title") == "A <script>1</script>"
    assert [item.findtext("link") for item in channel.findall("item")] == [
        s["url"] for s in alice.api.account_statuses(alice.id) if s["visibility"] == "public"]
    assert "secret" not in feed.text
    atom = httpx.get(f"{server.base_url}/@{alice.username}.atom")
    assert ET.fromstring(atom.content).tag == f"{ATOM}feed"
    profile = httpx.get(f"{server.base_url}/@{alice.username}")
    assert f'href="/@{alice.username}.rss"' in profile.text
    assert httpx.get(f"{server.base_url}/@{alice.username}.exe").status_code == 404
    assert httpx.get(f"{server.base_url}/@nobody_{secrets.token_hex(3)}.rss").status_code == 404


def test_the_page_stream_opens_only_the_streams_pages_need(web, new_user):
    alice, bob = new_user(), new_user()
    alices_list = alice.api.list_create("mine")
    web.sign_in(bob.username)
    for query, status in (("stream=user:notification", 404), ("stream=direct", 404),
                          ("stream=group&group=1", 404), ("stream=nonsense", 404),
                          (f"stream=list&list={alices_list['id']}", 404),
                          ("stream=list&list=abc", 400), ("stream=hashtag", 400)):
        response = web.get(f"/web/stream?{query}")
        assert response.status_code == status, query
        assert response.headers["content-type"].startswith("text/html"), query
    for query in ("stream=public", "stream=public:local:media", "stream=hashtag&tag=x", ""):
        with web.http.stream("GET", f"/web/stream?{query}") as response:
            assert response.status_code == 200, query
            assert response.headers["content-type"].startswith("text/event-stream")
