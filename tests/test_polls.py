"""Polls: people ask, vote once, see the results (or not yet, with hide_totals), and are told
when the poll ends; a poll is as visible as its status; bad polls and bad votes change nothing."""

from __future__ import annotations

import httpx
import pytest
from mastodon import MastodonAPIError

from support import (
    UserFactory,
    fresh_instance,
    wait_until,
)


def ask(author, question: str, options: list[str], *, expires_in: int = 3600,
        **poll_options) -> dict:
    return author.api.status_post(question, poll=author.api.make_poll(
        options, expires_in=expires_in, **poll_options))


def tally(poll: dict) -> list[int | None]:
    return [option["votes_count"] for option in poll["options"]]


def refused(call) -> int:
    with pytest.raises(MastodonAPIError) as error:
        call()
    return error.value.args[1]


def test_people_vote_once_and_everyone_sees_the_results(new_user, server):
    alice, bob, carol = new_user(), new_user(), new_user()
    status = ask(alice, "Wann ist das Teamfrühstück?", ["Montag", "Dienstag", "Freitag"])
    poll = status["poll"]
    assert [o["title"] for o in poll["options"]] == ["Montag", "Dienstag", "Freitag"]
    assert (poll["expired"], poll["multiple"], poll["votes_count"]) == (False, False, 0)
    assert poll["voted"] is True and poll["own_votes"] == []  # the author sees the results

    voted = bob.api.poll_vote(poll["id"], 1)
    assert (voted["voted"], voted["own_votes"], tally(voted)) == (True, [1], [0, 1, 0])
    carol.api.poll_vote(poll["id"], [1])
    seen = carol.api.status(status["id"])["poll"]
    assert (tally(seen), seen["votes_count"], seen["voters_count"]) == ([0, 2, 0], 2, 2)
    assert bob.api.poll(poll["id"])["own_votes"] == [1]
    anonymous = httpx.get(f"{server.base_url}/api/v1/polls/{poll['id']}").json()
    assert tally(anonymous) == [0, 2, 0] and "voted" not in anonymous

    assert refused(lambda: bob.api.poll_vote(poll["id"], 0)) == 422  # a second vote
    assert refused(lambda: alice.api.poll_vote(poll["id"], 0)) == 422  # one's own poll
    assert tally(alice.api.poll(poll["id"])) == [0, 2, 0]


def test_a_multiple_choice_poll_counts_votes_and_voters(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    poll = ask(alice, "Welche Snacks?", ["Obst", "Brezeln", "Kuchen"], multiple=True)["poll"]
    bob.api.poll_vote(poll["id"], [0, 2])
    result = carol.api.poll_vote(poll["id"], [2])
    assert (tally(result), result["votes_count"], result["voters_count"]) == ([1, 0, 2], 3, 2)
    assert result["multiple"] is True


def test_bad_votes_are_refused_and_count_nothing(new_user):
    alice, bob = new_user(), new_user()
    single = ask(alice, "Ja oder nein?", ["Ja", "Nein"])["poll"]
    several = ask(alice, "Was noch?", ["A", "B", "C"], multiple=True)["poll"]
    for poll_id, choices in ((single["id"], [0, 1]), (single["id"], [2]),
                             (single["id"], [-1]), (several["id"], [1, 1]),
                             (several["id"], [])):
        response = bob.http.post(f"/api/v1/polls/{poll_id}/votes", json={"choices": choices})
        assert response.status_code == 422 and "error" in response.json(), choices
    for body in ({"choices": "eins"}, {"choices": [{"x": 1}]}, {}):
        response = bob.http.post(f"/api/v1/polls/{single['id']}/votes", json=body)
        assert response.status_code == 422, body
    assert bob.http.post("/api/v1/polls/123/votes", json={"choices": [0]}).status_code == 404
    assert tally(bob.api.poll(single["id"])) == [0, 0]
    assert tally(bob.api.poll(several["id"])) == [0, 0, 0]
    assert bob.api.poll(single["id"])["voted"] is False
    # Form data, as most apps send it, still counts once the input is right.
    response = bob.http.post(f"/api/v1/polls/{single['id']}/votes", data={"choices[]": "1"})
    assert response.status_code == 200 and tally(response.json()) == [0, 1]


def test_hidden_totals_show_only_to_the_author_until_the_end(new_user):
    alice, bob = new_user(), new_user()
    poll = ask(alice, "Geheime Wahl", ["Rot", "Blau"], hide_totals=True)["poll"]
    result = bob.api.poll_vote(poll["id"], 0)
    assert tally(result) == [None, None] and result["votes_count"] == 1
    assert tally(alice.api.poll(poll["id"])) == [1, 0]


def test_bad_polls_are_refused_and_nothing_is_posted(new_user):
    alice = new_user()
    bad_polls = [
        {"options": [f"Option {n}" for n in range(1000)], "expires_in": 3600},
        {"options": ["Nur eine"], "expires_in": 3600},
        {"options": ["A", "B", "C", "D", "E"], "expires_in": 3600},
        {"options": ["A", "  "], "expires_in": 3600},
        {"options": ["Gleich", "Gleich"], "expires_in": 3600},
        {"options": ["x" * 51, "kurz"], "expires_in": 3600},
        {"options": ["A", "B"], "expires_in": 10},
        {"options": ["A", "B"], "expires_in": 2629747},
        {"options": ["A", "B"], "expires_in": "bald"},
        {"options": ["A", "B"]},
        {"options": "A,B", "expires_in": 3600},
        {"options": {"a": "A", "b": "B"}, "expires_in": 3600},
        "eine Umfrage",
    ]
    for poll in bad_polls:
        response = alice.http.post("/api/v1/statuses", json={"status": "Umfrage", "poll": poll})
        assert response.status_code == 422 and "error" in response.json(), poll
    many = alice.api.make_poll([str(n) for n in range(1000)], expires_in=3600)
    assert refused(lambda: alice.api.status_post("Zu viele", poll=many)) == 422
    assert alice.api.account_verify_credentials()["statuses_count"] == 0


def test_form_data_polls_work_with_listed_and_indexed_options(new_user):
    alice = new_user()
    listed = alice.http.post("/api/v1/statuses", data={
        "status": "Kaffee?", "poll[options][]": ["Ja", "Nein"], "poll[expires_in]": "600",
        "poll[multiple]": "true"})
    indexed = alice.http.post("/api/v1/statuses", data={
        "status": "Tee?", "poll[options][1]": "Nein", "poll[options][0]": "Ja",
        "poll[expires_in]": "600"})
    assert listed.status_code == 200 and indexed.status_code == 200, indexed.text
    assert listed.json()["poll"]["multiple"] is True
    assert [o["title"] for o in indexed.json()["poll"]["options"]] == ["Ja", "Nein"]


@pytest.mark.parametrize("visibility", ["public", "private", "direct"])
def test_a_poll_is_as_visible_as_its_status(new_user, server, visibility):
    alice, follower, mentioned, stranger = new_user(), new_user(), new_user(), new_user()
    follower.api.account_follow(alice.id)
    status = alice.api.status_post(f"@{mentioned.username} Wohin geht der Ausflug?",
                                   visibility=visibility, poll=alice.api.make_poll(
                                       ["Berge", "See"], expires_in=3600))
    poll_id = status["poll"]["id"]
    may_see = {"public": {"follower", "mentioned", "stranger", "anonymous"},
               "private": {"follower", "mentioned"}, "direct": {"mentioned"}}[visibility]
    anonymous = httpx.Client(base_url=server.base_url)
    for name, http in (("follower", follower.http), ("mentioned", mentioned.http),
                       ("stranger", stranger.http), ("anonymous", anonymous)):
        seen = http.get(f"/api/v1/polls/{poll_id}")
        assert seen.status_code == (200 if name in may_see else 404), (name, seen.text)
        if name == "anonymous":
            continue
        voted = http.post(f"/api/v1/polls/{poll_id}/votes", data={"choices[]": "0"})
        assert voted.status_code == (200 if name in may_see else 404), (name, voted.text)
    expected = len(may_see - {"anonymous"})
    assert alice.api.poll(poll_id)["votes_count"] == expected
    assert anonymous.post(f"/api/v1/polls/{poll_id}/votes",
                          data={"choices[]": "0"}).status_code == 401


def test_editing_the_options_starts_the_vote_afresh(new_user):
    alice, bob = new_user(), new_user()
    status = ask(alice, "Welcher Raum?", ["A1", "B2"])
    bob.api.poll_vote(status["poll"]["id"], 0)
    same = alice.api.status_update(status["id"], "Welcher Raum? (Nachtrag: ab 10 Uhr)",
                                   poll=alice.api.make_poll(["A1", "B2"], expires_in=3600))
    assert tally(same["poll"]) == [1, 0]  # same options: the votes stand
    changed = alice.api.status_update(status["id"], "Welcher Raum?",
                                      poll=alice.api.make_poll(["A1", "B2", "C3"],
                                                               expires_in=3600))
    assert tally(changed["poll"]) == [0, 0, 0]
    assert bob.api.poll(status["poll"]["id"])["voted"] is False
    assert bob.api.poll_vote(status["poll"]["id"], 2)["own_votes"] == [2]
    assert alice.api.status_update(status["id"], "Doch keine Umfrage")["poll"] is None
    bad = alice.http.put(f"/api/v1/statuses/{status['id']}", json={
        "status": "Neu", "poll": {"options": ["nur eine"], "expires_in": 3600}})
    assert bad.status_code == 422
    assert alice.api.status(status["id"])["content"] == "<p>Doch keine Umfrage</p>"


@pytest.fixture(scope="module")
def quick_polls(tmp_path_factory):
    """A server of its own whose polls may end after a second."""
    with fresh_instance(tmp_path_factory.mktemp("polls"),
                        ZWITSCHER_POLL_MIN_EXPIRES_SECONDS="1") as server:
        yield UserFactory(server)


def test_an_ended_poll_refuses_votes_and_tells_voters_and_author(quick_polls):
    users = quick_polls
    alice, bob, carol, dave = (users.create() for _ in range(4))
    assert alice.api.instance_v2()["configuration"]["polls"]["min_expiration"] == 1
    status = ask(alice, "Kurze Frage", ["Ja", "Nein"], expires_in=2, hide_totals=True)
    poll_id = status["poll"]["id"]
    bob.api.poll_vote(poll_id, 0)
    carol.api.poll_vote(poll_id, 1)

    def told(person) -> list[dict]:
        return [n for n in person.api.notifications(types=["poll"])
                if n["status"]["id"] == status["id"]]

    for person in (bob, carol, alice):
        found = wait_until(lambda person=person: told(person), timeout=30)
        assert len(found) == 1 and found[0]["account"]["id"] == alice.id
    assert told(dave) == []
    ended = dave.api.poll(poll_id)
    assert ended["expired"] is True and tally(ended) == [1, 1]  # no longer hidden
    response = dave.http.post(f"/api/v1/polls/{poll_id}/votes", data={"choices[]": "0"})
    assert response.status_code == 422 and "ended" in response.json()["error"]
    assert dave.api.poll(poll_id)["votes_count"] == 2
