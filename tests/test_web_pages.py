"""The web interface's pages: home timeline and compose, public pages, languages."""

from __future__ import annotations

import re

import httpx

from support import wait_until
from web_support import WebClient


def _post(web: WebClient, **fields: str) -> httpx.Response:
    return web.submit("/web/home", "/web/statuses", {"visibility": "public", **fields})


def test_a_post_from_the_compose_form_reaches_followers_home_timeline(web, new_user, server):
    alice, bob = new_user(), new_user()
    bob.api.account_follow(alice.id)
    web.sign_in(alice.username)
    page = _post(web, text="Hello from the browser", spoiler_text="greeting")
    assert page.url.path == "/web/home" and "Hello from the browser" in page.text
    posted = alice.api.account_statuses(alice.id)[0]
    assert posted["spoiler_text"] == "greeting" and posted["visibility"] == "public"
    bobs = WebClient(server.base_url)
    bobs.sign_in(bob.username)
    assert wait_until(lambda: "Hello from the browser" in bobs.get("/web/home").text)
    bobs.close()


def test_each_visibility_is_offered_in_plain_words(web, new_user):
    web.sign_in(new_user().username)
    page = web.get("/web/home").text
    for words in ("Everyone", "Only my followers", "Only the people I mention",
                  "Everyone in the organisation"):
        assert f">{words}</option>" in page


def test_compose_with_bad_input_explains_and_posts_nothing(web, new_user):
    alice = new_user()
    web.sign_in(alice.username)
    for fields in ({"text": "x" * 501}, {"text": "hi", "visibility": "everybody"},
                   {"text": "hi", "in_reply_to_id": "not-an-id"}, {"text": ""}):
        page = _post(web, **fields)
        assert 400 <= page.status_code < 500, fields
        assert 'role="alert"' in page.text
    assert alice.api.account_statuses(alice.id) == []


def test_a_reply_from_the_reply_link_is_threaded(web, new_user):
    alice, bob = new_user(), new_user()
    original = bob.api.status_post("Question?")
    web.sign_in(alice.username)
    form_page = web.get(f"/web/home?reply_to={original['id']}")
    assert f"@{bob.username} " in form_page.text
    assert f'name="in_reply_to_id" value="{original["id"]}"' in form_page.text
    web.submit(f"/web/home?reply_to={original['id']}", "/web/statuses", {
        "text": f"@{bob.username} Answer!", "in_reply_to_id": original["id"],
        "visibility": "public"})
    reply = alice.api.account_statuses(alice.id)[0]
    assert reply["in_reply_to_id"] == original["id"]


def test_home_timeline_pages_to_older_posts_without_javascript(web, new_user):
    alice = new_user()
    for number in range(25):
        alice.api.status_post(f"number {number}")
    web.sign_in(alice.username)
    first = web.get("/web/home").text
    assert "number 24" in first and "number 0<" not in first
    older = re.search(r'href="(/web/home\?max_id=\d+)"', first).group(1)
    second = web.get(older).text
    assert "number 0<" in second and "number 24" not in second


def test_public_profile_has_title_open_graph_and_feed_of_public_posts_only(server, new_user):
    alice = new_user(display_name="A <script>1</script>")
    alice.api.status_post("<script>alert('public')</script> hello world", visibility="public")
    for visibility in ("unlisted", "private", "direct"):
        alice.api.status_post(f"secret {visibility}", visibility=visibility)
    alice.http.post("/api/v1/statuses", data={"status": "secret internal",
                                              "visibility": "internal"}).raise_for_status()
    page = httpx.get(f"{server.base_url}/@{alice.username}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert('public')&lt;/script&gt; hello world" in page.text
    assert "<title>A &lt;script&gt;1&lt;/script&gt; (@" in page.text
    assert '<meta property="og:title"' in page.text
    assert f'href="/@{alice.username}.atom"' in page.text
    assert "secret" not in page.text
    assert "5 posts" in page.text and "0 followers" in page.text
    german = httpx.get(f"{server.base_url}/@{alice.username}", headers={"Accept-Language": "de"})
    assert "5 Beiträge" in german.text and "Öffentliche Beiträge" in german.text
    feed = httpx.get(f"{server.base_url}/@{alice.username}.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    assert "hello world" in feed.text and "secret" not in feed.text


def test_public_status_page_serves_the_api_url_and_only_public_posts(server, new_user):
    alice = new_user()
    public = alice.api.status_post("A public <b>thought</b>", visibility="public")
    page = httpx.get(public["url"])
    assert page.status_code == 200 and public["url"].startswith(server.base_url)
    assert '<meta property="og:description" content="A public &lt;b&gt;thought&lt;/b&gt;"' \
        in page.text
    assert "<title>" in page.text and "A public" in page.text
    for visibility in ("unlisted", "private", "direct"):
        hidden = alice.api.status_post(f"not for you {visibility}", visibility=visibility)
        refused = httpx.get(hidden["url"])
        assert refused.status_code == 404 and "not for you" not in refused.text
    assert httpx.get(f"{server.base_url}/@{alice.username}/99999999999").status_code == 404
    assert httpx.get(f"{server.base_url}/@nobody_here_at_all").status_code == 404
    other = new_user()
    assert httpx.get(f"{server.base_url}/@{other.username}/{public['id']}").status_code == 404


def test_language_follows_the_browser_and_the_switcher(server, new_user):
    german = WebClient(server.base_url, language="de-CH,de;q=0.9,en;q=0.5")
    page = german.get("/web/sign-in")
    assert '<html lang="de">' in page.text and "Anmelden" in page.text
    switched = german.submit("/web/sign-in", "/web/language",
                             {"language": "en", "back": "/web/sign-in"})
    assert '<html lang="en">' in switched.text and switched.url.path == "/web/sign-in"
    bad = german.submit("/web/sign-in", "/web/language", {"language": "xx"})
    assert bad.status_code == 422
    german.close()


def test_a_signed_in_persons_language_choice_is_kept_for_their_next_session(server, new_user):
    alice = new_user()
    first = WebClient(server.base_url)
    first.sign_in(alice.username)
    first.submit("/web/home", "/web/language", {"language": "de", "back": "/web/home"})
    second = WebClient(server.base_url, language="en")
    home = second.sign_in(alice.username)
    assert '<html lang="de">' in home.text and "Veröffentlichen" in home.text
    first.close()
    second.close()


def test_the_language_switcher_never_redirects_to_another_site(web):
    for back in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        page = web.submit("/web/sign-in", "/web/language", {"language": "en", "back": back})
        assert page.url.host == "127.0.0.1", back


def test_a_status_card_shows_only_what_its_viewer_may_see(server, new_user):
    alice, follower, stranger = new_user(), new_user(), new_user()
    follower.api.account_follow(alice.id)
    private = alice.api.status_post("for followers only", visibility="private")
    direct = alice.api.status_post(f"@{follower.username} just us", visibility="direct")
    for person, may_see in ((alice, {private["id"], direct["id"]}),
                            (follower, {private["id"], direct["id"]}),
                            (stranger, set())):
        web = WebClient(server.base_url)
        web.sign_in(person.username)
        for status, text in ((private, "for followers only"), (direct, "just us")):
            card = web.get(f"/web/statuses/{status['id']}/card")
            assert (card.status_code == 200) == (status["id"] in may_see), person.username
            assert (text in card.text) == (status["id"] in may_see)
            reply_form = web.get(f"/web/home?reply_to={status['id']}").text
            assert (f'name="in_reply_to_id" value="{status["id"]}"' in reply_form) \
                == (status["id"] in may_see)
        assert web.get("/web/statuses/not-an-id/card").status_code == 404
        web.close()
    anonymous = httpx.get(f"{server.base_url}/web/statuses/{private['id']}/card")
    assert anonymous.status_code == 401 and "for followers only" not in anonymous.text


def test_the_live_stream_needs_a_signed_in_browser(server):
    response = httpx.get(f"{server.base_url}/web/stream")
    assert response.status_code == 401
    forged = httpx.get(f"{server.base_url}/web/stream", cookies={"zw_session": "x" * 43})
    assert forged.status_code == 401
