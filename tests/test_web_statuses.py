"""Status pages and the actions on status cards, without JavaScript (httpx): the conversation
shows exactly what its reader may see, the buttons change what the API reports, deleting asks
first and only the author may, forms without their token change nothing, hostile text is
escaped."""

from __future__ import annotations

import re

import httpx

from web_support import WebClient, csrf_of

HOSTILE = "<script>alert(1)</script>"


def _page_of(status: dict) -> str:
    return httpx.URL(status["url"]).path


def _act(web: WebClient, status: dict, action: str, back: str = "/web/home",
         **fields: str) -> httpx.Response:
    return web.submit(back, f"/web/statuses/{status['id']}/{action}", {"back": back, **fields})


def test_the_conversation_shows_exactly_what_each_reader_may_see(server, new_user,
                                                                 browser_of):
    alice, bob, carol, carols_follower, stranger = (new_user() for _ in range(5))
    carols_follower.api.account_follow(carol.id)
    root = alice.api.status_post("Root of the thread", visibility="public")
    answer = bob.api.status_post("A public answer", in_reply_to_id=root["id"])
    deeper = alice.api.status_post("A deeper answer", in_reply_to_id=answer["id"])
    secret = carol.api.status_post("For my followers only", in_reply_to_id=root["id"],
                                   visibility="private")

    anonymous = httpx.get(root["url"])
    assert anonymous.status_code == 200
    for text in ("Root of the thread", "A public answer", "A deeper answer"):
        assert text in anonymous.text
    assert "For my followers only" not in anonymous.text
    assert f'id="status-{root["id"]}" data-id="{root["id"]}" tabindex="-1" ' \
           f'aria-labelledby="author-{root["id"]}" aria-current="true"' in anonymous.text
    assert '<meta property="og:description" content="Root of the thread"' in anonymous.text
    assert 'name="in_reply_to_id"' not in anonymous.text
    assert re.search(rf'class="status depth-2"[^>]*id="status-{deeper["id"]}"', anonymous.text)

    assert "For my followers only" not in browser_of(stranger).get(_page_of(root)).text
    follower_page = browser_of(carols_follower).get(_page_of(root)).text
    assert "For my followers only" in follower_page
    assert f'name="in_reply_to_id" value="{root["id"]}"' in follower_page

    # From a reply, the posts it answers are shown above it.
    middle = httpx.get(answer["url"]).text.partition("<main")[2]
    assert middle.index("Root of the thread") < middle.index("A public answer") \
        < middle.index("A deeper answer")
    # The private reply's own page exists only for those who may read it.
    assert httpx.get(secret["url"]).status_code == 404
    assert browser_of(stranger).get(_page_of(secret)).status_code == 404
    assert browser_of(carols_follower).get(_page_of(secret)).status_code == 200
    for wrong in ("99999999999999999999999", "0", "-1", "x"):
        assert httpx.get(f"{server.base_url}/@{alice.username}/{wrong}").status_code == 404


def test_boost_favourite_and_bookmark_change_what_the_api_reports(new_user, browser_of):
    alice, bob = new_user(display_name="Alice A."), new_user()
    status = alice.api.status_post("Worth a star", visibility="public")
    web = browser_of(bob)
    page = web.get(_page_of(status)).text
    assert re.search(r'aria-pressed="false" title="Favourite">.*?<span class="visually-hidden">'
                     r'Favourite post by Alice A\.</span>', page)
    for action in ("favourite", "reblog", "bookmark"):
        answer = _act(web, status, action, back=_page_of(status))
        assert answer.status_code == 200 and answer.url.path == _page_of(status), action
    seen = bob.api.status(status["id"])
    assert seen["favourited"] and seen["reblogged"] and seen["bookmarked"]
    assert seen["favourites_count"] == 1 and seen["reblogs_count"] == 1
    page = web.get(_page_of(status)).text
    for label in ("Favourite", "Boost", "Bookmark"):
        assert f'aria-pressed="true" title="{label}">' in page
    assert "Boost post by Alice A., 1 boost" in page
    assert "Favourite post by Alice A., 1 favourite" in page
    for action in ("unfavourite", "unreblog", "unbookmark"):
        _act(web, status, action)
    seen = bob.api.status(status["id"])
    assert not (seen["favourited"] or seen["reblogged"] or seen["bookmarked"])
    assert seen["favourites_count"] == 0


def test_followers_only_posts_of_others_offer_no_boost(new_user, browser_of):
    alice, bob = new_user(), new_user()
    bob.api.account_follow(alice.id)
    private = alice.api.status_post("followers only", visibility="private")
    page = browser_of(bob).get(_page_of(private)).text
    assert "followers only" in page and ">Boost<" not in page
    assert "Visible to: Followers only" in page
    refused = _act(browser_of(bob), private, "reblog")
    assert refused.status_code == 422 and not bob.api.status(private["id"])["reblogged"]


def test_deleting_asks_first_and_only_the_author_may(new_user, browser_of):
    alice, bob = new_user(), new_user()
    mine = alice.api.status_post("Delete me later", visibility="public")
    web = browser_of(alice)
    card = web.get(_page_of(mine)).text
    assert f'href="/web/statuses/{mine["id"]}/delete?back=' in card
    confirm = web.get(f"/web/statuses/{mine['id']}/delete?back=/web/home")
    assert confirm.status_code == 200 and "Delete this post?" in confirm.text
    assert "Delete me later" in alice.api.status(mine["id"])["content"]

    others = browser_of(bob)
    assert f"/web/statuses/{mine['id']}/delete" not in others.get(_page_of(mine)).text
    assert others.get(f"/web/statuses/{mine['id']}/delete").status_code == 404
    refused = others.submit("/web/home", f"/web/statuses/{mine['id']}/delete",
                            {"back": "/web/home"})
    assert refused.status_code == 404
    assert alice.api.status(mine["id"])["id"] == mine["id"]

    done = web.submit(f"/web/statuses/{mine['id']}/delete?back={_page_of(mine)}",
                      f"/web/statuses/{mine['id']}/delete", {"back": _page_of(mine)})
    assert done.status_code == 200 and done.url.path == "/web/home"
    assert alice.http.get(f"/api/v1/statuses/{mine['id']}").status_code == 404


def test_forms_without_their_token_change_nothing(server, new_user, browser_of):
    alice, bob = new_user(), new_user()
    status = alice.api.status_post("Untouchable", visibility="public")
    poll = alice.http.post("/api/v1/statuses", json={
        "status": "Which?", "poll": {"options": ["a", "b"], "expires_in": 3600}}).json()
    web = browser_of(bob)
    own = browser_of(alice)
    for client, path, fields in (
            (web, f"/web/statuses/{status['id']}/favourite", {}),
            (web, f"/web/statuses/{status['id']}/reblog", {}),
            (web, f"/web/polls/{poll['poll']['id']}/votes", {"choices": "0"}),
            (own, f"/web/statuses/{status['id']}/delete", {}),
            (web, f"/web/statuses/{status['id']}/favourite", {"csrf": "0" * 64})):
        answer = client.http.post(path, data={"back": "/web/home", **fields})
        assert answer.status_code == 403 and "nothing was changed" in answer.text, path
    seen = bob.api.status(status["id"])
    assert not seen["favourited"] and not seen["reblogged"]
    assert not bob.api.poll(poll["poll"]["id"])["voted"]
    assert alice.api.status(status["id"])["id"] == status["id"]
    anonymous = httpx.post(f"{server.base_url}/web/statuses/{status['id']}/favourite",
                           data={"csrf": "x"}, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/web/sign-in"


def test_actions_return_only_to_pages_of_this_site(new_user, browser_of):
    alice, bob = new_user(), new_user()
    status = alice.api.status_post("Somewhere", visibility="public")
    web = browser_of(bob)
    for back in ("https://evil.example/", "//evil.example/", "/\\evil.example",
                 "/web/home\r\nSet-Cookie: x=1", "x" * 3000):
        token = csrf_of(web.get("/web/home"))
        answer = web.http.post(f"/web/statuses/{status['id']}/favourite",
                               data={"csrf": token, "back": back}, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/web/home", back


def test_wrong_ids_and_unknown_actions_are_not_found(new_user, browser_of):
    alice, bob = new_user(), new_user()
    direct = alice.api.status_post("just for me", visibility="direct")
    web = browser_of(bob)
    for status_id in ("99999999999", "not-an-id", direct["id"], "-1"):
        answer = web.submit("/web/home", f"/web/statuses/{status_id}/favourite", {})
        assert answer.status_code == 404, status_id
        assert "just for me" not in answer.text
    assert web.submit("/web/home", f"/web/statuses/{direct['id']}/explode", {}).status_code \
        in (404, 405)
    assert not alice.api.status(direct["id"])["favourites_count"]


def test_voting_in_a_poll_from_its_card(new_user, browser_of):
    alice, bob = new_user(), new_user()
    status = alice.http.post("/api/v1/statuses", json={
        "status": "Tea or coffee?", "visibility": "public",
        "poll": {"options": ["Tea", "Coffee"], "expires_in": 3600}}).json()
    web = browser_of(bob)
    page = web.get(_page_of(status)).text
    assert 'name="choices" value="1"' in page and "Poll: choose one" in page
    for bad in ({"choices": "7"}, {"choices": "x"}, {}):
        refused = web.submit(_page_of(status), f"/web/polls/{status['poll']['id']}/votes",
                             {"back": _page_of(status), **bad})
        assert refused.status_code == 422, bad
    voted = web.submit(_page_of(status), f"/web/polls/{status['poll']['id']}/votes",
                       {"back": _page_of(status), "choices": "1"})
    assert voted.url.path == _page_of(status)
    assert "(your choice)" in voted.text and 'name="choices"' not in voted.text
    poll = bob.api.poll(status["poll"]["id"])
    assert poll["own_votes"] == [1] and poll["votes_count"] == 1
    # The author sees results, never a voting form.
    assert 'name="choices"' not in browser_of(alice).get(_page_of(status)).text


def test_hostile_text_in_polls_descriptions_and_warnings_is_escaped(new_user, browser_of):
    from media_support import image_bytes, upload

    alice, bob = new_user(display_name=HOSTILE), new_user()
    media = upload(alice, image_bytes("PNG"), description=HOSTILE).json()
    with_image = alice.http.post("/api/v1/statuses", json={
        "status": "picture", "media_ids": [media["id"]], "spoiler_text": HOSTILE,
        "visibility": "public"}).json()
    with_poll = alice.http.post("/api/v1/statuses", json={
        "status": "vote", "visibility": "public",
        "poll": {"options": [HOSTILE, "<b>bold</b>"], "expires_in": 3600}}).json()
    for status in (with_image, with_poll):
        for page in (httpx.get(status["url"]).text, browser_of(bob).get(_page_of(status)).text):
            assert "<script>alert(1)" not in page
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    image_page = httpx.get(with_image["url"]).text
    assert 'alt="&lt;script&gt;alert(1)&lt;/script&gt;"' in image_page
    assert "<b>bold</b>" not in httpx.get(with_poll["url"]).text


def test_an_edit_is_marked_and_sensitive_images_wait_behind_a_details(new_user, browser_of):
    from media_support import image_bytes, upload

    alice = new_user()
    media = upload(alice, image_bytes("PNG"), description="A red square").json()
    status = alice.http.post("/api/v1/statuses", json={
        "status": "careful", "media_ids": [media["id"]], "sensitive": True,
        "visibility": "public"}).json()
    alice.http.put(f"/api/v1/statuses/{status['id']}", json={
        "status": "careful, edited", "media_ids": [media["id"]],
        "sensitive": True}).raise_for_status()
    page = httpx.get(status["url"]).text
    assert '<details class="sensitive">' in page and 'alt="A red square"' in page
    assert "edited" in page and "careful, edited" in page


def test_a_brand_post_names_the_person_who_wrote_it(new_user):
    admin = new_user(role="admin")
    brand = admin.http.post("/api/zwitscher/v1/brands", data={
        "username": f"press_{admin.id}", "display_name": "Press office"}).json()
    author = new_user(role="communicator", display_name=f"Jana {HOSTILE}")
    admin.http.post(f"/api/zwitscher/v1/brands/{brand['id']}/authors", data={
        "account_id": author.id, "needs_approval": "false"}).raise_for_status()
    status = author.http.post(f"/api/zwitscher/v1/brands/{brand['id']}/statuses",
                              data={"status": "We open at nine.", "visibility": "public"}).json()
    page = httpx.get(status["url"]).text
    assert "posted by Jana &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
