"""Mastodon.py, unchanged, drives the server the way any Python client or bot would."""

from __future__ import annotations

import re
import secrets
import socket
from html import unescape
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from mastodon import Mastodon, MastodonNotFoundError, StreamListener

from support import PASSWORD, wait_until

SCOPES = ["read", "write", "follow"]
CALLBACK = "http://localhost:8123/callback"


def home_ids(user) -> list[str]:
    return [s.id for s in user.api.timeline_home(limit=40)]


def test_password_grant_signs_a_person_in_with_a_fresh_app(server, new_user):
    alice = new_user()
    client_id, client_secret = Mastodon.create_app("py-password", scopes=SCOPES,
                                                   api_base_url=server.base_url)
    api = Mastodon(client_id=client_id, client_secret=client_secret,
                   api_base_url=server.base_url)
    token = api.log_in(alice.email, PASSWORD, scopes=SCOPES, allow_http=True)
    assert token
    assert api.me().username == alice.username


def test_authorization_code_flow_through_the_login_page(server, new_user):
    alice = new_user()
    client_id, client_secret = Mastodon.create_app("py-code", scopes=SCOPES,
                                                   redirect_uris=CALLBACK,
                                                   api_base_url=server.base_url)
    api = Mastodon(client_id=client_id, client_secret=client_secret,
                   api_base_url=server.base_url)
    state = secrets.token_hex(8)
    url = api.auth_request_url(redirect_uris=CALLBACK, scopes=SCOPES, state=state,
                               allow_http=True)
    page = httpx.get(url)
    assert page.status_code == 200
    assert "py-code" in page.text
    hidden = {unescape(name): unescape(value) for name, value in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text)}
    assert hidden["client_id"] == client_id
    answer = httpx.post(f"{server.base_url}/oauth/authorize", data=hidden | {
        "login": alice.username, "password": PASSWORD, "decision": "approve"})
    assert answer.status_code == 302
    location = answer.headers["location"]
    assert location.startswith(CALLBACK)
    query = parse_qs(urlsplit(location).query)
    assert query["state"] == [state]
    api.log_in(code=query["code"][0], redirect_uri=CALLBACK, scopes=SCOPES, allow_http=True)
    assert api.me().id == alice.id
    assert api.status_post("signed in the long way").account.id == alice.id


def test_mastodon_py_recognises_a_modern_server(new_user):
    api = new_user().api
    assert api.verify_minimum_version("4.0.0")
    assert api.verify_minimum_version("4.3.0")


def test_reply_joins_the_thread_of_the_original(new_user):
    alice, bob = new_user(), new_user()
    original = alice.api.status_post("Wer kommt mit zum Bäcker?")
    reply = bob.api.status_reply(original, "Ich!")
    assert reply.in_reply_to_id == original.id
    assert reply.in_reply_to_account_id == alice.id
    assert f"@{alice.username}" in reply.content  # status_reply mentions the author
    context = alice.api.status_context(original)
    assert [s.id for s in context.descendants] == [reply.id]
    assert alice.api.status(original).replies_count == 1


def test_followed_authors_posts_reach_home_and_public_and_tag_timelines(new_user):
    author, reader = new_user(), new_user()
    reader.api.account_follow(author.id)
    tag = f"lage{secrets.token_hex(3)}"
    posted = author.api.status_post(f"Morgenrunde #{tag}")
    assert wait_until(lambda: posted.id in home_ids(reader))
    assert posted.id in [s.id for s in reader.api.timeline_public(limit=40)]
    tagged = reader.api.timeline_hashtag(tag)
    assert [s.id for s in tagged] == [posted.id]
    assert tagged[0].tags[0].name == tag


def test_favourite_reblog_and_bookmark_show_on_the_status(new_user):
    alice, bob = new_user(), new_user()
    status = alice.api.status_post("Markiere mich")
    assert bob.api.status_favourite(status).favourited is True
    reblog = bob.api.status_reblog(status)
    assert reblog.reblog.id == status.id
    assert bob.api.status_bookmark(status).bookmarked is True
    seen = bob.api.status(status)
    assert (seen.favourited, seen.reblogged, seen.bookmarked) == (True, True, True)
    assert (seen.favourites_count, seen.reblogs_count) == (1, 1)
    assert [s.id for s in bob.api.favourites()] == [status.id]
    assert [s.id for s in bob.api.bookmarks()] == [status.id]
    assert [a.id for a in alice.api.status_favourited_by(status)] == [bob.id]
    assert [a.id for a in alice.api.status_reblogged_by(status)] == [bob.id]
    bob.api.status_unfavourite(status)
    bob.api.status_unreblog(status)
    bob.api.status_unbookmark(status)
    seen = bob.api.status(status)
    assert (seen.favourited, seen.reblogged, seen.bookmarked) == (False, False, False)
    assert bob.api.bookmarks() == []


def test_pinned_statuses_are_listed_on_the_profile(new_user):
    alice = new_user()
    first = alice.api.status_post("Angeheftet")
    alice.api.status_post("Nicht angeheftet")
    assert alice.api.status_pin(first).pinned is True
    assert [s.id for s in alice.api.account_statuses(alice.id, pinned=True)] == [first.id]
    alice.api.status_unpin(first)
    assert alice.api.account_statuses(alice.id, pinned=True) == []


def test_edit_keeps_history_and_source(new_user):
    alice = new_user()
    status = alice.api.status_post("Erste Fassung")
    edited = alice.api.status_update(status, "Zweite Fassung", spoiler_text="Achtung")
    assert edited.id == status.id
    assert "Zweite Fassung" in edited.content
    assert edited.edited_at is not None
    history = alice.api.status_history(status)
    assert ["Erste Fassung" in v.content for v in history] == [True, False]
    assert history[-1].spoiler_text == "Achtung"
    source = alice.api.status_source(status)
    assert (source.text, source.spoiler_text) == ("Zweite Fassung", "Achtung")


def test_deleted_status_is_gone_and_returns_its_text_for_redraft(new_user):
    alice = new_user()
    status = alice.api.status_post("Gleich weg")
    deleted = alice.api.status_delete(status)
    assert deleted.text == "Gleich weg"
    with pytest.raises(MastodonNotFoundError):
        alice.api.status(status)


def test_notifications_can_be_filtered_dismissed_and_cleared(new_user):
    alice, bob = new_user(), new_user()
    status = alice.api.status_post("Hallo")
    bob.api.account_follow(alice.id)
    bob.api.status_favourite(status)
    bob.api.status_post(f"@{alice.username} hörst du mich?")
    notes = alice.api.notifications()
    assert sorted(n.type for n in notes) == ["favourite", "follow", "mention"]
    assert all(n.account.id == bob.id for n in notes)
    only = alice.api.notifications(types=["mention", "favourite"])
    assert sorted(n.type for n in only) == ["favourite", "mention"]
    assert [n.type for n in alice.api.notifications(exclude_types=["mention", "favourite"])
            ] == ["follow"]
    follow = next(n for n in notes if n.type == "follow")
    assert alice.api.notifications(id=follow.id).type == "follow"
    alice.api.notifications_dismiss(follow)
    assert "follow" not in [n.type for n in alice.api.notifications()]
    alice.api.notifications_clear()
    assert alice.api.notifications() == []


def test_account_statuses_filters(new_user):
    alice, bob = new_user(), new_user()
    tag = f"tag{secrets.token_hex(3)}"
    plain = alice.api.status_post(f"Eigenes #{tag}")
    other = bob.api.status_post("Von Bob")
    reply = alice.api.status_reply(other, "Antwort an Bob")
    reblog = alice.api.status_reblog(other)
    everything = [s.id for s in alice.api.account_statuses(alice.id)]
    assert everything == [reblog.id, reply.id, plain.id]
    assert [s.id for s in alice.api.account_statuses(alice.id, exclude_replies=True)
            ] == [reblog.id, plain.id]
    assert [s.id for s in alice.api.account_statuses(alice.id, exclude_reblogs=True)
            ] == [reply.id, plain.id]
    assert [s.id for s in alice.api.account_statuses(alice.id, tagged=tag)] == [plain.id]


def test_search_lookup_and_relationships(new_user):
    alice = new_user(display_name="Alice Wunderland")
    bob, carol = new_user(), new_user()
    bob.api.account_follow(alice.id)
    assert bob.api.account_lookup(alice.username).id == alice.id
    assert bob.api.account_lookup(f"@{alice.username}").id == alice.id
    assert alice.id in [a.id for a in bob.api.account_search(alice.username)]
    found = bob.api.account_search(alice.username, following=True)
    assert [a.id for a in found] == [alice.id]
    assert bob.api.account_search(carol.username, following=True) == []
    relationships = bob.api.account_relationships([alice.id, carol.id])
    assert [(r.id, r.following) for r in relationships] == [(alice.id, True), (carol.id, False)]
    assert alice.api.account_relationships(bob.id)[0].followed_by is True


def test_profile_changes_through_mastodon_py(new_user):
    alice, bob = new_user(), new_user()
    me = alice.api.account_update_credentials(
        display_name="Alice vom Dienst", note="Schichtleitung", locked=True,
        fields=[("Web", "https://example.org"), ("Pronomen", "sie/ihr")])
    assert (me.display_name, me.locked, me.source.note) == (
        "Alice vom Dienst", True, "Schichtleitung")
    assert [(f.name, f.value) for f in me.source.fields] == [
        ("Web", "https://example.org"), ("Pronomen", "sie/ihr")]
    seen = bob.api.account(alice.id)
    assert seen.display_name == "Alice vom Dienst" and seen.locked is True
    assert [f.name for f in seen.fields] == ["Web", "Pronomen"]


def test_locked_account_decides_on_follow_requests(new_user):
    alice = new_user(locked=True)
    bob, carol = new_user(), new_user()
    assert bob.api.account_follow(alice.id).requested is True
    assert carol.api.account_follow(alice.id).requested is True
    assert {a.id for a in alice.api.follow_requests()} == {bob.id, carol.id}
    assert alice.api.me().source.follow_requests_count == 2
    assert alice.api.follow_request_authorize(bob.id).followed_by is True
    assert alice.api.follow_request_reject(carol.id).followed_by is False
    assert alice.api.follow_requests() == []
    assert bob.api.account_relationships(alice.id)[0].following is True
    carol_view = carol.api.account_relationships(alice.id)[0]
    assert (carol_view.following, carol_view.requested) == (False, False)


def test_block_and_mute_take_authors_out_of_timelines(new_user):
    reader, loud, rude = new_user(), new_user(), new_user()
    reader.api.account_follow(loud.id)
    reader.api.account_follow(rude.id)
    from_loud = loud.api.status_post("Laut")
    from_rude = rude.api.status_post("Frech")
    assert wait_until(lambda: {from_loud.id, from_rude.id} <= set(home_ids(reader)))
    reader.api.account_mute(loud.id)
    reader.api.account_block(rude.id)
    assert not {from_loud.id, from_rude.id} & set(home_ids(reader))
    public = [s.id for s in reader.api.timeline_public(limit=40)]
    assert from_loud.id not in public and from_rude.id not in public
    assert [a.id for a in reader.api.mutes()] == [loud.id]
    assert [a.id for a in reader.api.blocks()] == [rude.id]
    reader.api.account_unmute(loud.id)
    assert from_loud.id in home_ids(reader)


def close_stream(handle) -> None:
    """Mastodon.py's `close()` waits for the reader thread's pending read, which only returns
    with the next heartbeat; shutting the socket down first ends that read at once."""
    handle.closed = True
    connection = getattr(handle.connection.raw, "connection", None)
    if connection is not None and connection.sock is not None:
        connection.sock.shutdown(socket.SHUT_RDWR)
    handle.close()
    handle.join(timeout=5)


class Collector(StreamListener):
    def __init__(self) -> None:
        self.updates: list = []
        self.heartbeats = 0

    def on_update(self, status) -> None:
        self.updates.append(status)

    def handle_heartbeat(self) -> None:
        # The server's first comment comes once the stream is subscribed: only posts made
        # after it can be expected (`run_async` returns before the connection is open).
        self.heartbeats += 1


def test_user_stream_delivers_a_followed_accounts_new_post(new_user):
    author, reader = new_user(), new_user()
    reader.api.account_follow(author.id)
    listener = Collector()
    handle = reader.api.stream_user(listener, run_async=True)
    try:
        assert wait_until(lambda: listener.heartbeats > 0)
        posted = author.api.status_post("Live aus dem Lagezentrum")
        assert wait_until(lambda: any(s.id == posted.id for s in listener.updates))
        update = next(s for s in listener.updates if s.id == posted.id)
        assert update.account.id == author.id
        assert "Live aus dem Lagezentrum" in update.content
    finally:
        close_stream(handle)


def test_fetch_next_and_previous_walk_a_long_home_timeline(new_user):
    alice = new_user()
    posted = [alice.api.status_post(f"Nummer {n}").id for n in range(33)]
    page = alice.api.timeline_home(limit=7)
    pages = []
    while page:
        pages.append(page)
        page = alice.api.fetch_next(page)
    seen = [s.id for p in pages for s in p]
    assert seen == list(reversed(posted))
    back = alice.api.fetch_previous(pages[-1])
    newer = []
    while back:
        newer = [s.id for s in back] + newer
        back = alice.api.fetch_previous(back)
    assert newer == seen[:-len(pages[-1])]


def test_a_favourite_given_through_a_boost_is_taken_back_through_it(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    status = alice.api.status_post("Geteilt und gemocht")
    boost = carol.api.status_reblog(status)
    assert bob.api.status_favourite(boost).favourited is True
    assert bob.api.status_unfavourite(boost).favourited is False
    seen = bob.api.status(status)
    assert (seen.favourited, seen.favourites_count) == (False, 0)
    assert bob.api.favourites() == []
