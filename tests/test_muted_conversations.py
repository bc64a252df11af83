"""Muting a conversation (Mastodon's `POST /api/v1/statuses/:id/mute`): no notifications come
from any status of its thread, `muted` shows on its statuses for the one who muted it only,
and unmuting brings the notifications back."""

from __future__ import annotations

import pytest
from mastodon import MastodonAPIError, MastodonNotFoundError


@pytest.fixture(scope="module")
def thread(users):
    """Alice's post and Bob's reply to it (mentioning her), as Alice, Bob and Carol."""
    alice, bob, carol = users.create(), users.create(), users.create()
    root = alice.api.status_post("Wer kommt zum Sommerfest?")
    reply = bob.api.status_post(f"@{alice.username} Ich!", in_reply_to_id=root["id"])
    return alice, bob, carol, root, reply


def notified(user) -> list[tuple[str, str | None]]:
    return [(n["type"], n["status"]["id"] if n["status"] else None)
            for n in user.api.notifications(limit=40)]


def test_nothing_from_a_muted_thread_reaches_its_muter(thread):
    alice, bob, carol, root, reply = thread
    assert ("mention", reply["id"]) in notified(alice)
    # Muting from any status of the thread mutes all of it; it shows on each for Alice only.
    muted = alice.api.status_mute(reply["id"])
    assert muted["id"] == reply["id"] and muted["muted"] is True
    assert alice.api.status(root["id"])["muted"] is True
    assert alice.api.status_mute(root["id"])["muted"] is True  # again: still muted
    assert bob.api.status(root["id"])["muted"] is False

    deeper = carol.api.status_post(f"@{alice.username} @{bob.username} Ich auch",
                                   in_reply_to_id=reply["id"])
    carol.api.status_favourite(root["id"])
    carol.api.status_reblog(root["id"])
    other = alice.api.status_post("Ganz was anderes")
    carol.api.status_favourite(other["id"])  # outside the thread: told as always

    seen = notified(alice)
    assert ("favourite", other["id"]) in seen
    assert not {("mention", deeper["id"]), ("favourite", root["id"]),
                ("reblog", root["id"])} & set(seen)
    assert ("mention", deeper["id"]) in notified(bob)  # Bob did not mute it
    assert alice.api.status_context(root["id"])["descendants"][1]["muted"] is True

    unmuted = alice.api.status_unmute(deeper["id"])
    assert unmuted["muted"] is False and alice.api.status(root["id"])["muted"] is False
    latest = carol.api.status_post(f"@{alice.username} Bis dann!", in_reply_to_id=root["id"])
    assert ("mention", latest["id"]) in notified(alice)


def test_muting_a_boost_mutes_the_boosted_thread(thread):
    alice, bob, carol, root, _ = thread
    boost = carol.api.status_reblog(root["id"])
    answer = bob.api.status_mute(boost["id"])
    assert (answer["id"], answer["muted"]) == (root["id"], True)
    assert bob.api.status(boost["id"])["reblog"]["muted"] is True
    bob.api.status_unmute(root["id"])


def test_only_a_visible_status_can_be_muted_and_only_with_a_token(thread, server):
    alice, bob, carol, _, _ = thread
    secret = alice.api.status_post("Nur für mich", visibility="direct")
    with pytest.raises(MastodonNotFoundError):
        carol.api.status_mute(secret["id"])
    with pytest.raises(MastodonNotFoundError):
        carol.api.status_unmute("123")
    response = carol.http.post(f"{server.base_url}/api/v1/statuses/{secret['id']}/mute",
                               headers={"Authorization": ""})
    assert response.status_code == 401
    # Anyone who may see a thread may mute it, as on Mastodon's server.
    public = alice.api.status_post("Offen für alle")
    assert carol.api.status_mute(public["id"])["muted"] is True
    with pytest.raises(MastodonAPIError):
        alice.api.status_mute("not-an-id")
