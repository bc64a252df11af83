"""Boosting one's own posts, the edit history of an unedited status, and votes in
multiple-choice polls, each as Mastodon answers them (through Mastodon.py)."""

from __future__ import annotations

import pytest
from mastodon import MastodonAPIError, MastodonNotFoundError

from support import wait_until


@pytest.fixture(scope="module")
def people(users):
    """Alice, Bob who follows her, and Carol who does not."""
    alice, bob, carol = users.create(), users.create(), users.create()
    bob.api.account_follow(alice.id)
    return alice, bob, carol


def refused(call) -> int:
    with pytest.raises(MastodonAPIError) as error:
        call()
    return error.value.args[1]


def test_authors_boost_their_own_posts_to_the_posts_audience(people):
    alice, bob, carol = people
    posts = {visibility: alice.api.status_post(f"Eigener Beitrag ({visibility})",
                                               visibility=visibility)
             for visibility in ("public", "unlisted", "private", "direct")}
    boosts = {visibility: alice.api.status_reblog(posts[visibility]["id"])
              for visibility in ("public", "unlisted", "private")}
    # As on Mastodon, the answer is the boost, marked as boosted like the post it boosts.
    assert {v: (b["visibility"], b["reblog"]["id"], b["reblog"]["reblogged"], b["reblogged"])
            for v, b in boosts.items()} \
        == {"public": ("public", posts["public"]["id"], True, True),
            "unlisted": ("public", posts["unlisted"]["id"], True, True),
            "private": ("private", posts["private"]["id"], True, True)}
    assert refused(lambda: alice.api.status_reblog(posts["direct"]["id"])) == 422
    assert refused(lambda: bob.api.status_reblog(posts["private"]["id"])) == 422

    # The followers-only boost reaches her followers, and nobody else.
    private_boost = boosts["private"]["id"]
    assert wait_until(lambda: private_boost in [s["id"] for s in bob.api.timeline_home()])
    assert bob.api.status(private_boost)["reblog"]["reblogs_count"] == 1
    with pytest.raises(MastodonNotFoundError):
        carol.api.status(private_boost)
    assert private_boost not in [s["id"] for s in carol.api.account_statuses(alice.id)]

    # As on Mastodon, `reblogged_by` lists public and unlisted boosts only.
    assert [a["id"] for a in carol.api.status_reblogged_by(posts["public"]["id"])] == [alice.id]
    assert bob.api.status_reblogged_by(posts["private"]["id"]) == []

    undone = alice.api.status_unreblog(posts["private"]["id"])
    assert (undone["reblogged"], undone["reblogs_count"]) == (False, 0)


def test_a_never_edited_status_has_a_history_of_one_version(people):
    alice, bob, _ = people
    status = alice.api.status_post("Unverändert", spoiler_text="Hinweis", sensitive=True)
    [version] = bob.api.status_history(status["id"])
    assert (version["content"], version["spoiler_text"], version["sensitive"]) == (
        status["content"], "Hinweis", True)
    assert version["created_at"] == status["created_at"]
    assert version["account"]["id"] == alice.id


def test_a_multiple_choice_poll_takes_each_option_once_per_voter(people):
    alice, bob, carol = people
    poll = alice.api.status_post("Welche Tage passen?", poll=alice.api.make_poll(
        ["Mo", "Di", "Mi", "Do"], expires_in=3600, multiple=True))["poll"]
    first = bob.api.poll_vote(poll["id"], [0, 2])
    assert (first["own_votes"], first["votes_count"], first["voters_count"]) == ([0, 2], 2, 1)
    # Options may be added later, as Mastodon allows; the voter still counts once.
    later = bob.api.poll_vote(poll["id"], 3)
    assert (later["own_votes"], later["votes_count"], later["voters_count"]) == ([0, 2, 3], 3, 1)
    for choices in ([2], [1, 2], [1, 1], [4], [-1]):
        assert refused(lambda choices=choices: bob.api.poll_vote(poll["id"], choices)) == 422
    carol.api.poll_vote(poll["id"], [1, 2, 3])
    result = alice.api.poll(poll["id"])
    assert ([o["votes_count"] for o in result["options"]], result["votes_count"],
            result["voters_count"]) == ([1, 1, 2, 2], 6, 2)
    assert refused(lambda: alice.api.poll_vote(poll["id"], [0])) == 422  # her own poll
    answer = bob.http.post(f"/api/v1/polls/{poll['id']}/votes", data={"choices[]": "0"})
    assert answer.json() == {"error": "Validation failed: You have already voted on this poll"}
