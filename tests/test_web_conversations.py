"""Direct conversations in the browser, without JavaScript (httpx): the list shows one's own
conversations as the API lists them, unread ones marked; opening one marks it read (the API
agrees) and goes to its thread; nobody opens another person's."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.usefixtures("quiet_server_log")


def _entries(page: str) -> list[str]:
    return re.findall(r'<li class="conversation[^"]*">.*?</li>', page, re.S)


def test_a_direct_post_appears_unread_for_the_person_it_mentions(new_user, browser_of):
    alice = new_user(display_name="Alice Writer")
    bob = new_user()
    alice.api.status_post(f"@{bob.username} Lunch at noon?", visibility="direct")
    page = browser_of(bob).get("/web/conversations")
    assert page.status_code == 200
    [entry] = _entries(page.text)
    assert 'class="conversation-item unread"' in entry
    assert "Alice Writer" in entry and "Lunch at noon?" in entry and ">unread<" in entry
    assert re.search(r'<time datetime="[^"]+" title="[^"]+">(now|\d+ ?\w+)</time>', entry)

    # The author sees it too, read, with their own words marked as theirs.
    [own] = _entries(browser_of(alice).get("/web/conversations").text)
    assert 'class="conversation-item"' in own and "You:" in own and bob.username in own


def test_opening_a_conversation_marks_it_read_and_shows_the_thread(new_user, browser_of):
    alice, bob = new_user(), new_user()
    first = alice.api.status_post(f"@{bob.username} First words", visibility="direct")
    last = bob.api.status_post(f"@{alice.username} An answer", visibility="direct",
                               in_reply_to_id=first["id"])
    [conversation] = alice.api.conversations()
    assert conversation["unread"]
    web = browser_of(alice)
    link = re.search(r'href="(/web/conversations/\d+)"', web.get("/web/conversations").text)
    badge = re.compile(r'Conversations<span class="nav-badge" aria-hidden="true">1</span> '
                       r'<span class="visually-hidden">\(1 unread\)</span>')
    assert badge.search(web.get("/web/home").text)
    opened = web.get(link.group(1))
    assert opened.status_code == 200
    assert opened.url.path == f"/@{bob.username}/{last['id']}"
    assert not badge.search(web.get("/web/home").text)
    assert "First words" in opened.text and "An answer" in opened.text
    assert not alice.api.conversations()[0]["unread"]
    assert "unread" not in _entries(web.get("/web/conversations").text)[0]
    # Bob's own row is untouched by Alice reading hers.
    assert not bob.api.conversations()[0]["unread"]  # he wrote the last post


def test_only_ones_own_conversations_are_listed_or_opened(new_user, browser_of):
    alice, bob, carol = new_user(), new_user(), new_user()
    alice.api.status_post(f"@{bob.username} Just between us", visibility="direct")
    [bobs] = bob.api.conversations()
    web = browser_of(carol)
    assert "Just between us" not in web.get("/web/conversations").text
    assert _entries(web.get("/web/conversations").text) == []
    for wrong in (bobs["id"], "99999999999", "x", "-1"):
        assert web.get(f"/web/conversations/{wrong}").status_code == 404
    assert bob.api.conversations()[0]["unread"]


def test_the_list_is_newest_first_and_paged(new_user, browser_of):
    alice = new_user()
    people = [new_user() for _ in range(3)]
    for person in people:
        alice.api.status_post(f"@{person.username} hello {person.username}",
                              visibility="direct")
    web = browser_of(alice)
    names = re.findall(r'<span class="names">([^<]+)</span>',
                       web.get("/web/conversations").text)
    assert names == [p.username for p in reversed(people)]
    first_page = web.get("/web/conversations?limit=2").text
    assert len(_entries(first_page)) == 2
    older = re.search(r'href="(/web/conversations\?max_id=\d+)"', first_page).group(1)
    rest = web.get(older).text
    assert [people[0].username] == re.findall(r'<span class="names">([^<]+)</span>', rest)
    assert 'href="/web/conversations">Latest conversations' in rest


def test_start_a_conversation_opens_the_composer_for_mentioned_people_only(new_user,
                                                                          browser_of):
    alice, bob = new_user(), new_user()
    web = browser_of(alice)
    page = web.get("/web/conversations").text
    assert 'href="/web/home?visibility=direct#compose"' in page
    assert "No conversations yet." in page
    composer = web.get("/web/home?visibility=direct").text
    assert re.search(r'value="direct"[^>]*(checked|selected)', composer)
    assert not re.search(r'value="direct"[^>]*(checked|selected)', web.get("/web/home").text)
    hostile = web.get("/web/home?visibility=%3Cscript%3E")
    assert hostile.status_code == 200 and "<script>" not in hostile.text.partition("<main")[2]
    assert not re.search(r'value="direct"[^>]*(checked|selected)', hostile.text)
    sent = web.submit("/web/home?visibility=direct", "/web/statuses", {
        "text": f"@{bob.username} Started from the web", "visibility": "direct"})
    assert sent.status_code == 200
    bobs_list = browser_of(bob).get("/web/conversations").text
    assert "Started from the web" in bobs_list and alice.username in bobs_list


def test_the_navigation_offers_conversations(new_user, browser_of):
    web = browser_of(new_user())
    page = web.get("/web/conversations").text
    assert '<a href="/web/conversations" aria-current="page">Conversations</a>' in page
    assert '<a href="/web/conversations">Conversations</a>' in web.get("/web/home").text


def test_signed_out_people_are_sent_to_sign_in(web):
    assert web.get("/web/conversations").url.path == "/web/sign-in"
    assert web.get("/web/conversations/1").url.path == "/web/sign-in"
