"""The streaming API over both transports, server-sent events and the multiplexed WebSocket
(the helpers and the `sse` / `websocket` fixtures are in streams.py and conftest.py)."""

from __future__ import annotations

import json
import threading

import httpx
import pytest
from mastodon import StreamListener
from websockets.exceptions import ConnectionClosed, InvalidStatus

from streams import WAIT, about, follow, post
from support import PASSWORD, wait_until

# -- server-sent events ---------------------------------------------------------------------

def test_streaming_health_says_ok(server):
    response = httpx.get(f"{server.base_url}/api/v1/streaming/health")
    assert response.status_code == 200
    assert response.text == "OK"


def test_followed_account_post_arrives_on_user_stream_as_status_json(sse, new_user):
    alice, bob = new_user(), new_user()
    follow(alice, bob)
    stream = sse("/api/v1/streaming/user", alice)
    status = post(bob, "hello followers")
    data = stream.wait_for("update", about(status))
    entity = json.loads(data)
    assert entity["account"]["id"] == bob.id
    assert "hello followers" in entity["content"]


def test_mastodon_py_stream_user_receives_updates_and_notifications(new_user):
    alice, bob = new_user(), new_user()
    follow(alice, bob)
    received: list[tuple[str, dict]] = []

    class Listener(StreamListener):
        def on_update(self, status):
            received.append(("update", status))

        def on_notification(self, notification):
            received.append(("notification", notification))

    handle = alice.api.stream_user(Listener(), run_async=True)
    try:
        assert wait_until(lambda: handle.connection is not None, WAIT)
        status = bob.api.status_post("through Mastodon.py")
        assert wait_until(lambda: any(kind == "update" and item["id"] == status["id"]
                                      for kind, item in received), WAIT), received
        mine = alice.api.status_post("favourite me")
        bob.api.status_favourite(mine["id"])
        assert wait_until(lambda: any(kind == "notification" and item["type"] == "favourite"
                                      for kind, item in received), WAIT), received
    finally:
        # requests only notices the close at the next heartbeat (15 s): do not wait for it.
        threading.Thread(target=handle.close, daemon=True).start()


def test_favourite_sends_notification_entity_to_author(sse, new_user):
    alice, bob = new_user(), new_user()
    status = post(alice, "like this")
    stream = sse("/api/v1/streaming/user", alice)
    bob.http.post(f"/api/v1/statuses/{status['id']}/favourite").raise_for_status()
    notification = json.loads(stream.wait_for("notification"))
    assert notification["type"] == "favourite"
    assert notification["account"]["id"] == bob.id
    assert notification["status"]["id"] == status["id"]
    assert notification["id"] in [n["id"] for n in alice.http.get("/api/v1/notifications").json()]


def test_notification_stream_carries_mentions_and_follows_but_no_updates(sse, new_user):
    alice, bob = new_user(), new_user()
    follow(alice, bob)
    stream = sse("/api/v1/streaming/user/notification", alice)
    post(bob, "an ordinary post for the home feed")
    post(bob, f"hey @{alice.username}")
    follow(bob, alice)
    stream.wait_for("notification", lambda data: json.loads(data)["type"] == "follow")
    kinds = [json.loads(data)["type"] for name, data in stream.events if name == "notification"]
    assert "mention" in kinds
    assert [name for name, _ in stream.events if name != "notification"] == []


def test_deleted_status_sends_its_id_as_plain_string(sse, new_user):
    alice, bob = new_user(), new_user()
    follow(alice, bob)
    streams = [sse("/api/v1/streaming/user", alice), sse("/api/v1/streaming/public", alice)]
    status = post(bob, "soon gone")
    for stream in streams:
        stream.wait_for("update", about(status))
    bob.http.delete(f"/api/v1/statuses/{status['id']}").raise_for_status()
    for stream in streams:
        assert stream.wait_for("delete") == status["id"]


def test_deleting_a_direct_message_tells_only_those_it_reached(sse, new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    follow(alice, bob)
    watching = sse("/api/v1/streaming/user", alice)
    secret = post(bob, f"@{carol.username} just between us", visibility="direct")
    bob.http.delete(f"/api/v1/statuses/{secret['id']}").raise_for_status()
    # A later public delete marks the point by which the direct one would have arrived.
    marker = post(bob, "public and gone")
    watching.wait_for("update", about(marker))
    bob.http.delete(f"/api/v1/statuses/{marker['id']}").raise_for_status()
    assert watching.wait_for("delete") == marker["id"]
    assert [data for name, data in watching.events if name == "delete"] == [marker["id"]]


def test_edited_status_sends_status_update_with_new_text(sse, new_user):
    alice, bob = new_user(), new_user()
    follow(alice, bob)
    status = post(bob, "first version")
    stream = sse("/api/v1/streaming/user", alice)
    public = sse("/api/v1/streaming/public", alice)
    bob.http.put(f"/api/v1/statuses/{status['id']}",
                 data={"status": "second version"}).raise_for_status()
    for each in (stream, public):
        edited = json.loads(each.wait_for("status.update", about(status)))
        assert "second version" in edited["content"]
        assert edited["edited_at"] is not None


def test_edit_tells_rebloggers_without_announcing_the_post_again(sse, new_user):
    alice, carol, dave = new_user(), new_user(), new_user()
    dave.http.post(f"/api/v1/accounts/{alice.id}/follow", data={"notify": "true"})
    daves = sse("/api/v1/streaming/user", dave)
    status = post(alice, "version one")
    daves.wait_for("notification", lambda data: json.loads(data)["type"] == "status")
    carol.http.post(f"/api/v1/statuses/{status['id']}/reblog").raise_for_status()
    carols = sse("/api/v1/streaming/user/notification", carol)
    alice.http.put(f"/api/v1/statuses/{status['id']}", data={"status": "version two"})
    update = json.loads(carols.wait_for("notification"))
    assert (update["type"], update["status"]["id"]) == ("update", status["id"])
    daves.wait_for("status.update")  # published with any notification of the same edit
    assert [name for name, _ in daves.events].count("notification") == 1


def test_public_stream_carries_public_posts_only(sse, new_user):
    alice, bob = new_user(), new_user()
    stream = sse("/api/v1/streaming/public", alice)
    local = sse("/api/v1/streaming/public/local", alice)
    hidden = [post(bob, "unlisted", visibility="unlisted")["id"],
              post(bob, "private", visibility="private")["id"],
              post(bob, f"direct @{alice.username}", visibility="direct")["id"]]
    public = post(new_user(), "someone else's public post")
    hidden.append(alice.http.post(f"/api/v1/statuses/{public['id']}/reblog").json()["id"])
    sentinel = post(bob, "public")
    for each in (stream, local):
        each.wait_for("update", about(sentinel))
        assert public["id"] in each.status_ids()
        assert not set(hidden) & set(each.status_ids())


def test_hashtag_stream_gets_only_posts_with_the_tag(sse, new_user):
    alice, bob = new_user(), new_user()
    tag = f"t{bob.id[-6:]}"
    stream = sse("/api/v1/streaming/hashtag", alice, tag=tag)
    post(bob, "no tag here")
    post(bob, f"#{tag} but unlisted", visibility="unlisted")
    tagged = post(bob, f"now with #{tag.upper()}")
    stream.wait_for("update", about(tagged))
    assert stream.status_ids() == [tagged["id"]]  # not untagged, not unlisted


def test_stream_errors_are_json_with_status(server, new_user):
    alice = new_user()
    base = server.base_url
    cases = [("/api/v1/streaming/user", {}, 401),
             ("/api/v1/streaming/user", {"Authorization": "Bearer nonsense"}, 401),
             ("/api/v1/streaming/hashtag", alice.headers(), 400)]
    for path, headers, status in cases:
        response = httpx.get(base + path, headers=headers)
        assert response.status_code == status, path
        assert response.json()["error"]


def test_user_stream_gets_followed_posts_but_not_strangers_or_muted(sse, new_user):
    alice, bob, carol, stranger = new_user(), new_user(), new_user(), new_user()
    follow(alice, bob)
    follow(alice, carol)
    stream = sse("/api/v1/streaming/user", alice)
    alice.http.post(f"/api/v1/accounts/{bob.id}/mute").raise_for_status()
    muted = post(bob, "you muted me")
    unfollowed = post(stranger, "you do not follow me")
    private = post(carol, "followers only", visibility="private")
    stream.wait_for("update", about(private))
    assert muted["id"] not in stream.status_ids()
    assert unfollowed["id"] not in stream.status_ids()


@pytest.mark.parametrize("action", ["block", "mute", "blocked_by"])
def test_open_public_stream_hides_author_after_relationship_changes(sse, new_user, action):
    alice, bob, carol = new_user(), new_user(), new_user()
    stream = sse("/api/v1/streaming/public", alice)
    before = post(bob, "visible before")
    stream.wait_for("update", about(before))
    if action == "blocked_by":
        bob.http.post(f"/api/v1/accounts/{alice.id}/block").raise_for_status()
    else:
        alice.http.post(f"/api/v1/accounts/{bob.id}/{action}").raise_for_status()
    after = post(bob, "hidden after")
    sentinel = post(carol, "sentinel")
    stream.wait_for("update", about(sentinel))
    assert after["id"] not in stream.status_ids()


def test_mention_from_account_muted_without_notifications_still_streams(sse, new_user):
    alice, bob = new_user(), new_user()
    alice.http.post(f"/api/v1/accounts/{bob.id}/mute",
                    data={"notifications": "false"}).raise_for_status()
    stream = sse("/api/v1/streaming/user/notification", alice)
    post(bob, f"@{alice.username} you still hear me")
    assert json.loads(stream.wait_for("notification"))["type"] == "mention"


def test_one_post_reaches_every_open_stream_that_may_see_it(sse, websocket, new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    follow(alice, bob)
    tag = f"all{bob.id[-6:]}"
    streams = [sse("/api/v1/streaming/user", alice), sse("/api/v1/streaming/public", carol),
               sse("/api/v1/streaming/public/local"), sse("/api/v1/streaming/hashtag", tag=tag)]
    socket_ = websocket(carol.token, stream="public:local")
    socket_.send({"type": "subscribe", "stream": "hashtag", "tag": tag})
    socket_.barrier()
    status = post(bob, f"everyone #{tag}")
    for stream in streams:
        stream.wait_for("update", about(status))
    for label in (["public:local"], ["hashtag", tag]):
        socket_.wait_for(lambda m, label=label: m.get("stream") == label
                         and json.loads(m["payload"])["id"] == status["id"])


# -- WebSocket ------------------------------------------------------------------------------

@pytest.mark.parametrize("via", ["query", "header", "protocol"])
def test_websocket_user_stream_with_token_in_each_place(websocket, new_user, via):
    alice, bob = new_user(), new_user()
    follow(alice, bob)
    socket_ = websocket(alice.token, via=via, stream="user")
    if via == "protocol":
        assert socket_.connection.subprotocol == alice.token
    socket_.barrier()
    status = post(bob, f"token via {via}")
    message = socket_.wait_for(lambda m: m.get("event") == "update")
    assert message["stream"] == ["user"]
    assert isinstance(message["payload"], str)
    assert json.loads(message["payload"])["id"] == status["id"]


def test_websocket_hashtag_subscribe_and_unsubscribe(websocket, new_user):
    alice, bob = new_user(), new_user()
    tag = f"ws{bob.id[-6:]}"
    socket_ = websocket(alice.token, stream="user")
    socket_.send({"type": "subscribe", "stream": "hashtag", "tag": tag})
    socket_.barrier()
    first = post(bob, f"first #{tag}")
    message = socket_.wait_for(lambda m: m.get("stream") == ["hashtag", tag])
    assert message["event"] == "update"
    assert json.loads(message["payload"])["id"] == first["id"]

    socket_.send({"type": "unsubscribe", "stream": "hashtag", "tag": tag})
    socket_.barrier()
    second = post(bob, f"second #{tag}")
    own = post(alice, "my own post reaches my user stream")
    socket_.wait_for(lambda m: m.get("stream") == ["user"] and m.get("event") == "update"
                     and json.loads(m["payload"])["id"] == own["id"])
    assert second["id"] not in socket_.updates(["hashtag", tag])


def test_websocket_notification_and_delete_payloads(websocket, new_user):
    alice, bob = new_user(), new_user()
    follow(alice, bob)
    socket_ = websocket(alice.token, via="query", stream="user")
    socket_.barrier()
    status = post(bob, f"hi @{alice.username}")
    note = socket_.wait_for(lambda m: m.get("event") == "notification")
    assert note["stream"] == ["user"]
    assert json.loads(note["payload"])["status"]["id"] == status["id"]
    bob.http.delete(f"/api/v1/statuses/{status['id']}").raise_for_status()
    deleted = socket_.wait_for(lambda m: m.get("event") == "delete")
    assert deleted == {"stream": ["user"], "event": "delete", "payload": status["id"]}


def test_websocket_survives_malformed_commands(websocket, new_user):
    alice, bob = new_user(), new_user()
    tag = f"odd{bob.id[-6:]}"
    socket_ = websocket(alice.token)
    for command in ({"type": "subscribe", "stream": {"no": "name"}, "tag": 7},
                    {"type": "subscribe", "stream": "hashtag"}, {"type": "dance"}, [1, 2]):
        socket_.send(command)
    socket_.connection.send("not json")
    socket_.wait_for(lambda _m: socket_.errors() == 4)  # each bad command is answered
    errors = [(m["error"], m["status"]) for m in socket_.messages if "error" in m]
    assert ("Unknown stream type", 400) in errors
    assert ("No tag for stream provided", 400) in errors
    socket_.send({"type": "subscribe", "stream": ["hashtag", tag]})
    socket_.barrier()
    status = post(bob, f"still listening #{tag}")
    message = socket_.wait_for(lambda m: m.get("event") == "update")
    assert message["stream"] == ["hashtag", tag]
    assert json.loads(message["payload"])["id"] == status["id"]


def test_websocket_user_stream_without_token_gets_error(websocket):
    socket_ = websocket(None, stream="user")
    error = socket_.wait_for(lambda m: "error" in m)
    assert error["error"] == "Missing access token"
    assert error["status"] == 401


def test_websocket_with_invalid_token_is_rejected(websocket):
    with pytest.raises(InvalidStatus) as rejected:
        websocket("not-a-real-token", via="query", stream="user")
    assert rejected.value.response.status_code == 401


def _revoke(server, users, token: str) -> None:
    httpx.post(f"{server.base_url}/oauth/revoke", data={
        "client_id": users.client_id, "client_secret": users.client_secret,
        "token": token}).raise_for_status()


def test_revoking_a_token_ends_the_streams_opened_with_it(server, users, sse, websocket):
    alice = users.create()
    stream = sse("/api/v1/streaming/user", alice)
    other_stream = sse("/api/v1/streaming/public", alice)
    socket_ = websocket(alice.token, stream="user")
    socket_.barrier()
    _revoke(server, users, alice.token)
    assert wait_until(lambda: not stream.thread.is_alive(), WAIT)
    assert wait_until(lambda: not other_stream.thread.is_alive(), WAIT)
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            socket_.connection.recv(timeout=WAIT)
    assert closed.value.rcvd.code == 4001


def test_revoking_one_token_leaves_the_persons_other_streams_open(server, users, sse, new_user):
    alice, bob = new_user(), new_user()
    second_token = httpx.post(f"{server.base_url}/oauth/token", data={
        "grant_type": "password", "client_id": users.client_id,
        "client_secret": users.client_secret, "username": alice.email,
        "password": PASSWORD, "scope": "read write follow"}).json()["access_token"]
    follow(alice, bob)
    kept = sse("/api/v1/streaming/user", alice)
    _revoke(server, users, second_token)
    status = post(bob, "still listening")
    kept.wait_for("update", about(status))
