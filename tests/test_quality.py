"""Quality scores flag follower collectors, republishers and link spammers for moderators."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from zwitscher.domain.quality import FollowEvent, Post, assess

ADMIN = "/api/zwitscher/v1/admin"


@pytest.fixture(scope="module")
def moderator(users):
    return users.create(role="moderator")


def post(user, text: str) -> None:
    response = user.http.post("/api/v1/statuses", data={"status": text})
    assert response.status_code == 200, response.text


def rescore(moderator, account) -> dict:
    response = moderator.http.post(f"{ADMIN}/accounts/{account.id}/quality")
    assert response.status_code == 200, response.text
    return response.json()


def test_posting_only_links_gets_an_account_flagged_as_a_link_spammer(moderator, new_user):
    spammer, writer = new_user(), new_user()
    for n in range(8):
        post(spammer, f"https://cheap-pills.example/offer/{n}")
    for n in range(8):
        post(writer, f"Field report {n}: the new depot opens on Monday, see https://example.org")

    flagged = rescore(moderator, spammer)
    assert flagged["flags"] == ["link_spammer"] and flagged["score"] < 0.5
    assert flagged["signals"]["link_only_ratio"] == 1.0
    fine = rescore(moderator, writer)
    assert fine["flags"] == [] and fine["score"] == 1.0

    shown = moderator.http.get(f"{ADMIN}/accounts/{spammer.id}/quality").json()
    assert shown["flags"] == ["link_spammer"] and shown["account"]["id"] == spammer.id
    listed = {entry["account"]["id"] for entry in
              moderator.http.get(f"{ADMIN}/quality", params={"flagged": "true"}).json()}
    assert spammer.id in listed and writer.id not in listed


def test_posting_the_same_text_again_and_again_flags_a_republisher(moderator, new_user):
    republisher = new_user()
    for n in range(6):
        post(republisher, "Buy our newsletter!" + " " * n)
    assert rescore(moderator, republisher)["flags"] == ["republisher"]


def test_an_account_never_scored_shows_no_score_yet(moderator, new_user):
    newcomer = new_user()
    shown = moderator.http.get(f"{ADMIN}/accounts/{newcomer.id}/quality")
    assert shown.status_code == 200 and shown.json()["score"] is None


def test_members_may_not_see_or_compute_quality_scores(new_user):
    member, other = new_user(), new_user()
    for response in (member.http.get(f"{ADMIN}/quality"),
                     member.http.get(f"{ADMIN}/accounts/{other.id}/quality"),
                     member.http.post(f"{ADMIN}/accounts/{other.id}/quality")):
        assert response.status_code == 403 and response.json()["error"]


def test_rescoring_is_audited_and_bad_input_is_refused(moderator, users, new_user):
    admin, subject = users.create(role="admin"), new_user()
    rescore(moderator, subject)
    entries = admin.http.get(f"{ADMIN}/audit_log", params={
        "action": "account.quality_scored", "target_id": subject.id}).json()
    assert [e["actor_id"] for e in entries] == [moderator.id]
    assert moderator.http.post(f"{ADMIN}/accounts/123456789/quality").status_code == 404
    assert moderator.http.get(f"{ADMIN}/accounts/nope/quality").status_code == 404
    refused = moderator.http.get(f"{ADMIN}/quality", params={"flagged": "perhaps"})
    assert refused.status_code == 422 and refused.json()["error"]


# The formula itself, on made-up histories.

NOW = datetime(2026, 11, 25, tzinfo=UTC)


def test_following_many_and_dropping_them_within_days_is_follower_collecting():
    events = []
    for target in range(40):
        events.append(FollowEvent(target, "follow", NOW - timedelta(days=10)))
    for target in range(30):
        events.append(FollowEvent(target, "unfollow", NOW - timedelta(days=8)))
    result = assess(posts=[], events=events, followers=5, following=10, days_observed=30)
    assert result.flags == ["follower_collector"]
    assert result.signals["quick_unfollows"] == 30


def test_unfollowing_long_after_following_is_no_churn():
    events = [FollowEvent(t, "follow", NOW - timedelta(days=29)) for t in range(20)]
    events += [FollowEvent(t, "unfollow", NOW - timedelta(days=1)) for t in range(20)]
    assert assess(posts=[], events=events, followers=5, following=0,
                  days_observed=30).flags == []


def test_a_busy_live_blog_loses_score_but_is_not_flagged():
    posts = [Post(f"Minute {n}: the keynote continues", False) for n in range(1000)]
    result = assess(posts=posts, events=[], followers=50, following=10, days_observed=5)
    assert result.flags == [] and result.score < 1.0
