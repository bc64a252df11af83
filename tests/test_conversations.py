"""Conversations: direct messages gathered by thread, each participant with a view of their own
(unread or read, kept or removed), live on the `direct` stream."""

from __future__ import annotations

import json

import httpx
import pytest
from mastodon import MastodonNotFoundError

from streams import post
from support import wait_until

# The streaming tests' fixtures: `sse(path, user, **params)`, `websocket(token, **query)`.


def dm(sender, text: str, *recipients, reply_to: dict | None = None) -> dict:
    mentions = " ".join(f"@{r.username}" for r in recipients)
    return sender.api.status_post(f"{mentions} {text}", visibility="direct",
                                  in_reply_to_id=reply_to["id"] if reply_to else None)


def conversations(user) -> list[dict]:
    return user.api.conversations()


def only(user) -> dict:
    found = conversations(user)
    assert len(found) == 1, found
    return found[0]


def account_ids(conversation: dict) -> list[str]:
    return sorted(a["id"] for a in conversation["accounts"])


def test_direct_message_starts_a_conversation_for_both(new_user):
    alice, bob = new_user(), new_user()
    message = dm(alice, "lunch?", bob)
    for_bob, for_alice = only(bob), only(alice)
    assert for_bob["unread"] is True
    assert for_alice["unread"] is False  # she wrote it
    assert account_ids(for_bob) == [alice.id]  # never oneself
    assert account_ids(for_alice) == [bob.id]
    assert for_bob["last_status"]["id"] == message["id"]
    assert for_alice["last_status"]["id"] == message["id"]


def test_reply_joins_the_conversation_and_marks_it_unread_for_the_others(new_user):
    alice, bob = new_user(), new_user()
    first = dm(alice, "lunch?", bob)
    only(alice)  # read it once, so the reply is the change
    answer = dm(bob, "yes!", alice, reply_to=first)
    for_alice, for_bob = only(alice), only(bob)
    assert for_alice["last_status"]["id"] == answer["id"]
    assert for_alice["unread"] is True
    assert for_bob["unread"] is False  # answering is reading


def test_reading_marks_only_my_view_read(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    dm(alice, "meeting at 3", bob, carol)
    conversation = only(bob)
    read = bob.api.conversations_read(conversation["id"])
    assert read["unread"] is False
    assert only(bob)["unread"] is False
    assert only(carol)["unread"] is True
    assert account_ids(only(bob)) == sorted([alice.id, carol.id])


def test_removing_a_conversation_removes_it_for_me_only_until_it_goes_on(new_user):
    alice, bob = new_user(), new_user()
    first = dm(alice, "lunch?", bob)
    response = bob.http.delete(f"/api/v1/conversations/{only(bob)['id']}")
    assert response.status_code == 200 and response.json() == {}
    assert conversations(bob) == []
    assert only(alice)["last_status"]["id"] == first["id"]
    again = dm(alice, "still hungry?", bob, reply_to=first)
    assert only(bob)["last_status"]["id"] == again["id"]


def test_deleting_the_last_message_shows_the_one_before(new_user):
    alice, bob = new_user(), new_user()
    first = dm(alice, "lunch?", bob)
    answer = dm(bob, "oops, wrong person", alice, reply_to=first)
    bob.api.status_delete(answer["id"])
    assert only(alice)["last_status"]["id"] == first["id"]
    alice.api.status_delete(first["id"])
    assert conversations(alice) == [] and conversations(bob) == []


def test_new_thread_is_a_new_conversation_newest_first_with_pages(new_user):
    alice, bob = new_user(), new_user()
    older = dm(alice, "first topic", bob)
    newer = dm(alice, "second topic", bob)
    assert [c["last_status"]["id"] for c in conversations(bob)] == [newer["id"], older["id"]]
    # Going on with the older one brings it to the top.
    reply = dm(bob, "about the first", alice, reply_to=older)
    first_page = bob.api.conversations(limit=1)
    assert [c["last_status"]["id"] for c in first_page] == [reply["id"]]
    second_page = bob.api.fetch_next(first_page)
    assert [c["last_status"]["id"] for c in second_page] == [newer["id"]]


def test_someone_added_later_joins_from_then_on(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    first = dm(alice, "plan the party", bob)
    widened = dm(bob, "let's ask carol", alice, carol, reply_to=first)
    for_carol = only(carol)
    assert for_carol["last_status"]["id"] == widened["id"]
    assert account_ids(for_carol) == sorted([alice.id, bob.id])
    assert account_ids(only(alice)) == sorted([bob.id, carol.id])


# --- who sees what ----------------------------------------------------------------------------

def test_nobody_outside_the_conversation_sees_it(new_user):
    alice, bob, follower, stranger = new_user(), new_user(), new_user(), new_user()
    follower.api.account_follow(alice.id)
    message = dm(alice, "between us", bob)
    post(alice, "a public post")
    post(alice, "a followers-only post", visibility="private")
    for outsider in (follower, stranger):
        assert conversations(outsider) == []
        conversation_id = only(bob)["id"]
        for response in (outsider.http.post(f"/api/v1/conversations/{conversation_id}/read"),
                         outsider.http.delete(f"/api/v1/conversations/{conversation_id}")):
            assert response.status_code == 404
            assert response.json()["error"]
        assert outsider.http.get(f"/api/v1/statuses/{message['id']}").status_code == 404
    assert only(bob)["unread"] is True  # the outsiders' attempts changed nothing


def test_blocking_the_sender_keeps_their_messages_out(new_user):
    alice, bob = new_user(), new_user()
    bob.api.account_block(alice.id)
    dm(alice, "are you there?", bob)
    assert conversations(bob) == []


def test_conversations_need_a_token(server):
    response = httpx.get(f"{server.base_url}/api/v1/conversations")
    assert response.status_code == 401
    assert response.json()["error"]


def test_malformed_and_unknown_ids_are_not_found(new_user):
    alice = new_user()
    for raw in ("nope", "0", "99999999999999999999999", "1"):
        for response in (alice.http.post(f"/api/v1/conversations/{raw}/read"),
                         alice.http.delete(f"/api/v1/conversations/{raw}")):
            assert response.status_code == 404
            assert response.json()["error"]
    bad_page = alice.http.get("/api/v1/conversations", params={"max_id": "x"})
    assert bad_page.status_code == 422
    with pytest.raises(MastodonNotFoundError):
        alice.api.conversations_read("12345")


# --- the direct stream ------------------------------------------------------------------------

def test_direct_stream_sends_each_participant_their_own_view(sse, new_user):
    alice, bob, stranger = new_user(), new_user(), new_user()
    streams = {user.id: sse("/api/v1/streaming/direct", user) for user in (alice, bob, stranger)}
    message = dm(alice, "psst", bob)
    for user, unread, other in ((alice, False, bob), (bob, True, alice)):
        event = json.loads(streams[user.id].wait_for("conversation"))
        assert event["last_status"]["id"] == message["id"]
        assert event["unread"] is unread
        assert account_ids(event) == [other.id]
    # The stranger's own message is the sentinel: once it is there, alice's would be too.
    own = dm(stranger, "talking to myself", new_user())
    streams[stranger.id].wait_for(
        "conversation", lambda data: json.loads(data)["last_status"]["id"] == own["id"])
    seen = [json.loads(data)["last_status"]["id"]
            for name, data in streams[stranger.id].events if name == "conversation"]
    assert seen == [own["id"]]


def test_direct_stream_over_websocket(websocket, new_user):
    alice, bob = new_user(), new_user()
    socket_ = websocket(bob.token, stream="direct")
    socket_.barrier()
    message = dm(alice, "over the socket", bob)
    event = socket_.wait_for(lambda m: m.get("event") == "conversation")
    assert event["stream"] == ["direct"]
    assert json.loads(event["payload"])["last_status"]["id"] == message["id"]
    assert wait_until(lambda: only(bob)["unread"])
