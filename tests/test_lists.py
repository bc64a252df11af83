"""Lists: a person picks accounts they follow and reads their posts as a timeline of its own.

Through Mastodon.py's own methods wherever it has them; raw HTTP for what a misbehaving
client might send.
"""

from __future__ import annotations

import json
import threading

import httpx
import pytest
from mastodon import StreamListener

from streams import WAIT, about, post
from support import PASSWORD, wait_until

# The streaming tests' fixtures: `sse(path, user, **params)`, `websocket(token, **query)`.


def follow(follower, target) -> None:
    follower.api.account_follow(target.id)


def ids(statuses) -> list[str]:
    return [s["id"] for s in statuses]


@pytest.fixture
def reader_and_colleagues(new_user):
    """`reader` follows `ann` and `ben`; `ann` is on the reader's list `Team`."""
    reader, ann, ben = new_user(), new_user(), new_user()
    follow(reader, ann)
    follow(reader, ben)
    team = reader.api.list_create("Team")
    reader.api.list_accounts_add(team["id"], [ann.id])
    return reader, ann, ben, team


# --- managing lists ---------------------------------------------------------------------------

def test_list_is_created_shown_renamed_and_deleted(new_user):
    alice = new_user()
    created = alice.api.list_create("Kolleginnen", replies_policy="followed", exclusive=True)
    assert created["title"] == "Kolleginnen"
    assert created["replies_policy"] == "followed"
    assert created["exclusive"] is True
    assert [lst["id"] for lst in alice.api.lists()] == [created["id"]]
    assert alice.api.list(created["id"])["title"] == "Kolleginnen"

    renamed = alice.http.put(f"/api/v1/lists/{created['id']}", data={"title": "Team"}).json()
    assert renamed["title"] == "Team"
    assert renamed["replies_policy"] == "followed"  # what was not sent stays as it was
    assert renamed["exclusive"] is True

    alice.api.list_delete(created["id"])
    assert alice.api.lists() == []


def test_members_are_added_listed_and_removed(reader_and_colleagues):
    reader, ann, ben, team = reader_and_colleagues
    reader.api.list_accounts_add(team["id"], [ben.id])
    assert sorted(ids(reader.api.list_accounts(team["id"]))) == sorted([ann.id, ben.id])
    assert [lst["id"] for lst in reader.api.account_lists(ann.id)] == [team["id"]]

    reader.api.list_accounts_delete(team["id"], [ann.id])
    assert ids(reader.api.list_accounts(team["id"])) == [ben.id]
    assert reader.api.account_lists(ann.id) == []


def test_member_pages_follow_the_link_header(new_user):
    reader = new_user()
    team = reader.api.list_create("Many")
    colleagues = [new_user() for _ in range(3)]
    for colleague in colleagues:
        follow(reader, colleague)
        reader.api.list_accounts_add(team["id"], [colleague.id])
    first = reader.api.list_accounts(team["id"], limit=2)
    second = reader.api.fetch_next(first)
    assert len(first) == 2 and len(second) == 1
    assert sorted(ids(first) + ids(second)) == sorted(c.id for c in colleagues)
    everyone = reader.http.get(f"/api/v1/lists/{team['id']}/accounts", params={"limit": 0})
    assert len(everyone.json()) == 3


def test_unfollowing_takes_the_account_out_of_the_list(reader_and_colleagues):
    reader, ann, _, team = reader_and_colleagues
    reader.api.account_unfollow(ann.id)
    assert reader.api.list_accounts(team["id"]) == []


def test_blocking_takes_the_account_out_of_the_list(reader_and_colleagues):
    reader, ann, _, team = reader_and_colleagues
    reader.api.account_block(ann.id)
    assert reader.api.list_accounts(team["id"]) == []


# --- the list timeline ------------------------------------------------------------------------

def test_list_timeline_shows_members_posts_only(reader_and_colleagues):
    reader, ann, ben, team = reader_and_colleagues
    from_ann = ann.api.status_post("from ann")
    from_ben = ben.api.status_post("from ben")
    timeline = ids(reader.api.timeline_list(team["id"]))
    assert from_ann["id"] in timeline
    assert from_ben["id"] not in timeline


def test_list_timeline_pages_with_link_headers(reader_and_colleagues):
    reader, ann, _, team = reader_and_colleagues
    posted = [ann.api.status_post(f"post {n}")["id"] for n in range(5)]
    first = reader.api.timeline_list(team["id"], limit=2)
    assert ids(first) == posted[::-1][:2]
    second = reader.api.fetch_next(first)
    assert ids(second) == posted[::-1][2:4]
    newer = reader.api.fetch_previous(second)
    assert ids(newer) == posted[::-1][:2]
    since = reader.api.timeline_list(team["id"], since_id=posted[2])
    assert ids(since) == posted[::-1][:2]


@pytest.mark.parametrize(("policy", "reply_to_member", "reply_to_followed", "reply_to_stranger"),
                         [("list", True, False, False), ("followed", True, True, False),
                          ("none", False, False, False)])
def test_replies_policy_decides_which_replies_to_others_show(
        new_user, policy, reply_to_member, reply_to_followed, reply_to_stranger):
    reader, ann, ben, followed, stranger = (new_user() for _ in range(5))
    for account in (ann, ben, followed):
        follow(reader, account)
    team = reader.api.list_create("Team", replies_policy=policy)
    reader.api.list_accounts_add(team["id"], [ann.id, ben.id])
    to_member = ben.api.status_post("ben asks")
    to_followed = followed.api.status_post("followed asks")
    to_stranger = stranger.api.status_post("stranger asks")
    to_reader = reader.api.status_post("reader asks")
    own_thread = ann.api.status_post("ann's thread")
    replies = {name: ann.api.status_post(f"@{who.username} answer", in_reply_to_id=parent["id"])
               for name, who, parent in (("member", ben, to_member),
                                         ("followed", followed, to_followed),
                                         ("stranger", stranger, to_stranger),
                                         ("reader", reader, to_reader),
                                         ("self", ann, own_thread))}
    shown = set(ids(reader.api.timeline_list(team["id"], limit=40)))
    assert (replies["member"]["id"] in shown) is reply_to_member
    assert (replies["followed"]["id"] in shown) is reply_to_followed
    assert (replies["stranger"]["id"] in shown) is reply_to_stranger
    # Replies to the list's owner and a member's own threads always show.
    assert replies["reader"]["id"] in shown
    assert replies["self"]["id"] in shown


def test_list_timeline_leaves_out_muted_and_blocked_reblogs(new_user):
    reader, ann, muted = new_user(), new_user(), new_user()
    follow(reader, ann)
    team = reader.api.list_create("Team")
    reader.api.list_accounts_add(team["id"], [ann.id])
    loud = muted.api.status_post("loud")
    boost = ann.api.status_reblog(loud["id"])
    plain = ann.api.status_post("plain")
    assert boost["id"] in ids(reader.api.timeline_list(team["id"]))
    reader.api.account_mute(muted.id)
    assert ids(reader.api.timeline_list(team["id"])) == [plain["id"]]


def test_exclusive_list_keeps_members_out_of_home(reader_and_colleagues):
    reader, ann, ben, team = reader_and_colleagues
    from_ann = ann.api.status_post("only in the list")
    from_ben = ben.api.status_post("in home")
    assert wait_until(lambda: from_ben["id"] in ids(reader.api.timeline_home()))
    assert from_ann["id"] in ids(reader.api.timeline_home())

    reader.api.list_update(team["id"], "Team", exclusive=True)
    home = ids(reader.api.timeline_home())
    assert from_ann["id"] not in home and from_ben["id"] in home
    assert from_ann["id"] in ids(reader.api.timeline_list(team["id"]))

    reader.api.list_update(team["id"], "Team", exclusive=False)
    assert from_ann["id"] in ids(reader.api.timeline_home())


# --- the list stream --------------------------------------------------------------------------

def test_list_stream_delivers_members_posts_and_deletes(sse, reader_and_colleagues):
    reader, ann, ben, team = reader_and_colleagues
    stream = sse("/api/v1/streaming/list", reader, list=team["id"])
    from_ben = post(ben, "not a member")
    from_ann = post(ann, "a member")
    stream.wait_for("update", about(from_ann))
    assert from_ben["id"] not in stream.status_ids()
    secret = post(ann, f"@{ben.username} between us", visibility="direct")
    ann.api.status_delete(secret["id"])
    ann.api.status_delete(from_ann["id"])
    stream.wait_for("delete", lambda data: data == from_ann["id"])
    # The direct message's deletion does not tell the list's owner it ever existed.
    assert [data for name, data in stream.events if name == "delete"] == [from_ann["id"]]


def test_list_stream_over_websocket(websocket, reader_and_colleagues):
    reader, ann, _, team = reader_and_colleagues
    socket_ = websocket(reader.token, stream="list", list=team["id"])
    socket_.barrier()
    from_ann = post(ann, "over the socket")
    message = socket_.wait_for(lambda m: m.get("event") == "update")
    assert message["stream"] == ["list", team["id"]]
    assert json.loads(message["payload"])["id"] == from_ann["id"]


def test_mastodon_py_stream_list_receives_updates(reader_and_colleagues):
    reader, ann, _, team = reader_and_colleagues
    received: list[dict] = []

    class Listener(StreamListener):
        def on_update(self, status):
            received.append(status)

    handle = reader.api.stream_list(team["id"], Listener(), run_async=True)
    try:
        assert wait_until(lambda: handle.connection is not None, WAIT)
        status = ann.api.status_post("through Mastodon.py")
        assert wait_until(lambda: any(item["id"] == status["id"] for item in received), WAIT)
    finally:
        # requests only notices the close at the next heartbeat: do not wait for it.
        threading.Thread(target=handle.close, daemon=True).start()


def test_someone_elses_list_cannot_be_streamed(server, websocket, new_user,
                                               reader_and_colleagues):
    _, _, _, team = reader_and_colleagues
    intruder = new_user()
    for headers, status in ((intruder.headers(), 404), ({}, 401)):
        response = httpx.get(f"{server.base_url}/api/v1/streaming/list",
                             params={"list": team["id"]}, headers=headers)
        assert response.status_code == status
        assert response.json()["error"]
    socket_ = websocket(intruder.token)
    socket_.send({"type": "subscribe", "stream": "list", "list": team["id"]})
    error = socket_.wait_for(lambda m: "error" in m)
    assert error["status"] == 404


def test_list_stream_shows_only_what_the_owner_may_see(sse, new_user):
    reader, author, other = new_user(), new_user(), new_user()
    follow(reader, author)
    team = reader.api.list_create("Team")
    reader.api.list_accounts_add(team["id"], [author.id])
    stream = sse("/api/v1/streaming/list", reader, list=team["id"])
    hidden = [post(author, f"@{other.username} just for you", visibility="direct")["id"],
              post(author, f"@{reader.username} a direct message", visibility="direct")["id"]]
    shown = [post(author, "followers only", visibility="private")["id"],
             post(author, "unlisted", visibility="unlisted")["id"]]
    sentinel = post(author, "public")
    stream.wait_for("update", about(sentinel))
    assert set(stream.status_ids()) == {*shown, sentinel["id"]}
    assert not set(hidden) & set(ids(reader.api.timeline_list(team["id"])))


def test_exclusive_list_members_stay_off_the_home_stream(sse, reader_and_colleagues):
    reader, ann, ben, team = reader_and_colleagues
    home = sse("/api/v1/streaming/user", reader)
    reader.api.list_update(team["id"], "Team", exclusive=True)
    from_ann = post(ann, "for the list only")
    sentinel = post(ben, "for home")
    home.wait_for("update", about(sentinel))
    assert from_ann["id"] not in home.status_ids()


# --- who sees what ----------------------------------------------------------------------------

def test_list_timeline_never_shows_what_the_owner_may_not_see(users, new_user):
    """Visibility for the list's owner: a follower sees public, unlisted, followers-only and
    internal posts; direct messages belong to conversations, not lists (also when addressed to
    the owner); group posts only reach the group's members."""
    reader, author, other = new_user(), new_user(), new_user()
    admin = users.create(role="admin")
    group = admin.http.post("/api/zwitscher/v1/groups", data={
        "slug": f"list-test-{author.id}", "name": "Not the reader's"}).json()
    admin.http.post(f"/api/zwitscher/v1/groups/{group['id']}/members",
                    data={"account_ids[]": [author.id]}).raise_for_status()
    follow(reader, author)
    team = reader.api.list_create("Team")
    reader.api.list_accounts_add(team["id"], [author.id])
    # Mastodon.py knows Mastodon's visibilities only: ours go through plain HTTP.
    visible = [author.http.post("/api/v1/statuses", data={
        "status": f"{v} post", "visibility": v}).json()["id"]
        for v in ("public", "unlisted", "private", "internal")]
    hidden = [author.api.status_post(f"@{other.username} secret", visibility="direct")["id"],
              author.api.status_post(f"@{reader.username} for you", visibility="direct")["id"],
              author.http.post("/api/v1/statuses", data={
                  "status": "group only", "visibility": "group",
                  "group_ids[]": [group["id"]]}).json()["id"]]
    shown = ids(reader.api.timeline_list(team["id"]))
    assert shown == visible[::-1]
    assert not set(hidden) & set(shown)


def test_followers_only_posts_leave_the_list_when_the_author_blocks_the_owner(new_user):
    reader, author = new_user(), new_user()
    follow(reader, author)
    team = reader.api.list_create("Team")
    reader.api.list_accounts_add(team["id"], [author.id])
    author.api.status_post("for followers", visibility="private")
    author.api.account_block(reader.id)
    assert reader.api.timeline_list(team["id"]) == []
    assert reader.api.list_accounts(team["id"]) == []


def test_someone_elses_list_is_not_found_and_stays_unchanged(new_user, reader_and_colleagues):
    reader, ann, ben, team = reader_and_colleagues
    intruder = new_user()
    follow(intruder, ben)
    path = f"/api/v1/lists/{team['id']}"
    attempts = [intruder.http.get(path), intruder.http.put(path, data={"title": "Mine"}),
                intruder.http.delete(path), intruder.http.get(f"{path}/accounts"),
                intruder.http.post(f"{path}/accounts", data={"account_ids[]": [ben.id]}),
                intruder.http.request("DELETE", f"{path}/accounts",
                                      data={"account_ids[]": [ann.id]}),
                intruder.http.get(f"/api/v1/timelines/list/{team['id']}")]
    for response in attempts:
        assert response.status_code == 404, response.request.url
        assert response.json()["error"]
    assert reader.api.list(team["id"])["title"] == "Team"
    assert ids(reader.api.list_accounts(team["id"])) == [ann.id]
    assert intruder.api.account_lists(ann.id) == []


def test_bad_input_is_refused_and_changes_nothing(new_user, reader_and_colleagues):
    reader, ann, ben, team = reader_and_colleagues
    stranger = new_user()
    members = f"/api/v1/lists/{team['id']}/accounts"

    def unchanged() -> None:
        assert [(lst["id"], lst["title"], lst["replies_policy"], lst["exclusive"])
                for lst in reader.api.lists()] == [(team["id"], "Team", "list", False)]
        assert ids(reader.api.list_accounts(team["id"])) == [ann.id]

    cases = [
        (404, reader.http.get("/api/v1/lists/123456789")),
        (404, reader.http.get("/api/v1/lists/not-an-id")),
        (404, reader.http.get("/api/v1/timelines/list/123456789")),
        (404, reader.http.get("/api/v1/accounts/123456789/lists")),
        (422, reader.http.post("/api/v1/lists", data={"title": "x" * 257})),
        (422, reader.http.post("/api/v1/lists", data={"title": "   "})),
        (422, reader.http.post("/api/v1/lists", json={})),
        (422, reader.http.post("/api/v1/lists", json={"title": ["a"]})),
        (422, reader.http.post("/api/v1/lists",
                               data={"title": "Ok", "replies_policy": "everyone"})),
        (422, reader.http.put(f"/api/v1/lists/{team['id']}", data={"title": ""})),
        (422, reader.http.put(f"/api/v1/lists/{team['id']}", data={"exclusive": "maybe"})),
        # Only followed accounts can be added, all or none.
        (404, reader.http.post(members, data={"account_ids[]": [ben.id, stranger.id]})),
        (404, reader.http.post(members, data={"account_ids[]": ["123456789"]})),
        (404, reader.http.post(members, data={"account_ids[]": ["<script>"]})),
        (422, reader.http.post(members, data={"account_ids[]": [ann.id]})),
        (422, reader.http.post(members, data={})),
        (422, reader.http.post(members, json={"account_ids": [ben.id] * 101})),
        (422, reader.http.get(f"/api/v1/timelines/list/{team['id']}",
                              params={"max_id": "soon"})),
    ]
    for status, response in cases:
        assert response.status_code == status, (response.request.url, response.text)
        assert response.json()["error"]
    unchanged()


def test_a_person_has_at_most_fifty_lists(new_user):
    alice = new_user()
    for n in range(50):
        alice.api.list_create(f"List {n}")
    refused = alice.http.post("/api/v1/lists", data={"title": "One too many"})
    assert refused.status_code == 422
    assert "50" in refused.json()["error"]
    assert len(alice.api.lists()) == 50


def test_lists_need_the_lists_scope(server, users, new_user):
    alice = new_user()
    response = httpx.post(f"{server.base_url}/oauth/token", data={
        "grant_type": "password", "username": alice.email, "password": PASSWORD,
        "client_id": users.client_id, "client_secret": users.client_secret,
        "scope": "read:statuses write:statuses"})
    token = response.json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{server.base_url}/api/v1/lists", headers=headers).status_code == 403
    created = httpx.post(f"{server.base_url}/api/v1/lists", headers=headers,
                         data={"title": "Sneaky"})
    assert created.status_code == 403
    assert alice.api.lists() == []
