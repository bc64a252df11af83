"""What people do is counted for analytics in the same transaction and rolled into hourly and
daily buckets by the job system: a generated set of actions against its known answers."""

import pytest
from analytics_support import counted, counters
from monitor_alert_support import queue_drained

from support import UserFactory, fresh_instance, wait_until

ANALYTICS = "/api/zwitscher/v1/analytics"
GROUPS = "/api/zwitscher/v1/groups"


@pytest.fixture(scope="module")
def quick_server(tmp_path_factory):
    """Its own server: the roll-up runs every fraction of a second and the instance's totals
    hold nobody else's posts."""
    with fresh_instance(tmp_path_factory.mktemp("analytics"),
                        ZWITSCHER_ANALYTICS_ROLLUP_SECONDS="0.3",
                        ZWITSCHER_ANALYTICS_MINIMUM_PEOPLE="2") as server:
        yield server


def test_posts_follows_engagement_and_answered_mentions_are_counted_and_rolled_up(
        quick_server):
    users = UserFactory(quick_server)
    alice, bob, carol, dave = (users.create() for _ in range(4))
    a = int(alice.id)
    for follower in (bob, carol, dave):
        follower.api.account_follow(alice.id)
    dave.api.account_unfollow(alice.id)
    first = alice.api.status_post("Unser neues Angebot")
    second = alice.api.status_post("Und noch eins")
    bob.api.status_reply(first, "Schön!")
    bob.api.status_favourite(first)
    bob.api.status_favourite(second)
    carol.api.status_reblog(first)
    alice.api.status_favourite(first)  # her own: no engagement
    question = bob.api.status_post(f"@{alice.username} wann öffnet ihr?")
    alice.api.status_reply(question, "Um neun.")
    alice.api.status_reply(question, "Samstags um zehn.")  # the mention is answered already

    expected = {
        ("account", a, "followers_gained"): 3, ("account", a, "followers_lost"): 1,
        ("account", a, "posts"): 4,
        # Her replies to Bob reach only those of her followers who follow him too (and him).
        ("account", a, "deliveries"): 2 + 2 + 1 + 1,
        ("account", a, "replies"): 1, ("account", a, "favourites"): 2,
        ("account", a, "boosts"): 1,
        # Mastodon.py's replies name the one replied to: Bob's "Schön!" mentions her too.
        ("account", a, "mentions"): 2,
        ("account", a, "mentions_answered"): 1, ("account", a, "response_le_900"): 1,
        ("instance", 0, "posts"): 6, ("instance", 0, "followers_gained"): 3,
        ("instance", 0, "followers_lost"): 1, ("instance", 0, "mentions"): 4,
    }

    def rolled_up():
        pending, daily, hourly, _ = counters(quick_server)
        mine = {key: daily.get(key) for key in expected}
        return pending == 0 and mine == expected and daily == hourly and daily

    daily = wait_until(rolled_up, timeout=20)
    pending, found, hourly, _ = counters(quick_server)
    assert daily, (pending, found == hourly, {key: (found.get(key), value)
                                              for key, value in expected.items()
                                              if found.get(key) != value})
    assert daily.get(("account", a, "response_seconds"), 0) < 60  # zero is not stored
    assert ("account", int(bob.id), "favourites") not in daily

    # The API answers the same, from the buckets alone now, and the previous period is empty.
    answer = alice.http.get(f"{ANALYTICS}/accounts/{alice.id}")
    assert answer.status_code == 200, answer.text
    report = answer.json()
    for (kind, _, metric), value in expected.items():
        if kind == "account" and metric in report["totals"]:
            assert report["totals"][metric] == value, metric
    assert len(report["series"]) == 30
    assert report["series"][-1]["posts"] == 4
    assert set(report["previous"]["totals"].values()) == {0}
    assert report["response_time"]["answered"] == 1
    assert report["response_time"]["median_bucket"] == "response_le_900"
    admin = users.create(role="admin")
    instance = admin.http.get(f"{ANALYTICS}/instance", params={"interval": "week"}).json()
    assert instance["totals"]["posts"] == 6
    assert instance["totals"]["followers_gained"] == 3
    exported = admin.http.get(f"{ANALYTICS}/instance.csv", params={"interval": "month"})
    assert exported.headers["content-type"].startswith("text/csv")
    lines = exported.text.splitlines()
    assert lines[0].split(",")[:3] == ["start", "posts", "deliveries"]
    assert lines[-2].split(",")[1] == "6"


def test_what_is_taken_back_counts_in_no_period_and_what_reached_people_stays(quick_server):
    users = UserFactory(quick_server)
    alice, bob, carol = (users.create() for _ in range(3))
    a, b, c = int(alice.id), int(bob.id), int(carol.id)
    bob.api.account_follow(alice.id)
    kept = alice.api.status_post("Bleibt")
    gone = alice.api.status_post("Wird gelöscht")
    # Reached is reached: the deliveries are counted before the post goes.
    assert wait_until(lambda: counted(quick_server, ("account", a, "deliveries")) == 2)
    bob.api.status_favourite(kept)
    bob.api.status_unfavourite(kept)
    bob.api.status_favourite(kept)  # given again: counts once
    carol.api.status_reblog(kept)
    carol.api.status_unreblog(kept)
    carol.api.status_favourite(kept)
    alice.api.status_unfavourite(kept)  # she never favourited it: nothing to take back
    second_thoughts = bob.api.status_reply(kept, "Hm.")
    bob.api.status_delete(second_thoughts)
    bob.api.status_favourite(gone)
    carol.api.status_reblog(gone)
    carol.api.status_reply(gone, "Schade!")  # stays her post when Alice's goes
    alice.api.status_delete(gone)

    expected = {
        ("account", a, "posts"): 1, ("account", a, "favourites"): 2,
        ("account", a, "boosts"): 0, ("account", a, "replies"): 0,
        ("account", a, "deliveries"): 2,
        # Bob's and Carol's replies named her (Mastodon.py's replies do): she was mentioned.
        ("account", a, "mentions"): 2,
        ("account", b, "posts"): 0, ("account", c, "posts"): 1,
    }

    def rolled_up():
        pending, daily, hourly, _ = counters(quick_server)
        mine = {key: daily.get(key, 0) for key in expected}
        return pending == 0 and mine == expected and daily == hourly and daily

    daily = wait_until(rolled_up, timeout=20)
    pending, found, _, _ = counters(quick_server)
    assert daily, (pending, {key: (found.get(key, 0), value) for key, value in expected.items()
                             if found.get(key, 0) != value})
    assert min(daily.values()) >= 0
    totals = alice.http.get(f"{ANALYTICS}/accounts/{alice.id}").json()["totals"]
    assert {metric: totals[metric] for metric in ("posts", "favourites", "boosts", "replies",
                                                  "deliveries")} == {
        "posts": 1, "favourites": 2, "boosts": 0, "replies": 0, "deliveries": 2}
    hours = alice.http.get(f"{ANALYTICS}/accounts/{alice.id}", params={"interval": "hour"})
    assert hours.status_code == 200, hours.text
    assert all(row[metric] >= 0 for row in hours.json()["series"]
               for metric in ("posts", "favourites", "boosts", "replies"))


def test_group_posts_and_their_engagement_are_counted_for_the_group_and_its_managers(
        quick_server):
    users = UserFactory(quick_server)
    admin = users.create(role="admin")
    manager, member, outsider = users.create(), users.create(), users.create()
    group = admin.http.post(GROUPS, data={"slug": f"team-{manager.username}",
                                          "name": "Team"}).json()
    for person, role in ((manager, "manager"), (member, "member")):
        admin.http.post(f"{GROUPS}/{group['id']}/members",
                        data={"account_ids[]": [person.id], "role": role}).raise_for_status()
    post = member.http.post("/api/v1/statuses", data={
        "status": "Für das Team", "visibility": "group", "group_ids[]": group["id"]}).json()
    manager.http.post(f"/api/v1/statuses/{post['id']}/favourite").raise_for_status()
    manager.http.post("/api/v1/statuses", data={
        "status": "Danke!", "in_reply_to_id": post["id"]}).raise_for_status()
    withdrawn = member.http.post("/api/v1/statuses", data={
        "status": "Doch nicht", "visibility": "group", "group_ids[]": group["id"]}).json()
    manager.http.post(f"/api/v1/statuses/{withdrawn['id']}/favourite").raise_for_status()
    assert wait_until(lambda: counted(quick_server, ("group", int(group["id"]), "deliveries")) == 3)
    member.http.delete(f"/api/v1/statuses/{withdrawn['id']}").raise_for_status()

    def totals():
        answer = manager.http.get(f"{ANALYTICS}/groups/{group['id']}")
        assert answer.status_code == 200, answer.text
        return answer.json()["totals"]

    # The reply stays in the group: a post of its own, delivered to the other member. The
    # withdrawn post and its favourite count no more; its delivery does.
    expected = {"posts": 2, "deliveries": 3, "live_deliveries": 0, "replies": 1, "boosts": 0,
                "favourites": 1, "link_clicks": 0}
    assert wait_until(lambda: totals() == expected and counters(quick_server)[0] == 0), totals()
    assert member.http.get(f"{ANALYTICS}/groups/{group['id']}").status_code == 404
    assert outsider.http.get(f"{ANALYTICS}/groups/{group['id']}").status_code == 404
    assert admin.http.get(f"{ANALYTICS}/groups/{group['id']}").status_code == 200


def test_follower_composition_shows_no_number_of_fewer_people_than_the_minimum(quick_server):
    users = UserFactory(quick_server)
    admin = users.create(role="admin")
    author = users.create()
    staff = [users.create() for _ in range(3)]
    group = admin.http.post(GROUPS, data={"slug": f"press-{author.username}",
                                          "name": "Presse"}).json()
    lone = admin.http.post(GROUPS, data={"slug": f"lone-{author.username}",
                                         "name": "Einzeln"}).json()
    admin.http.post(f"{GROUPS}/{group['id']}/members",
                    data={"account_ids[]": [p.id for p in staff[:2]]}).raise_for_status()
    admin.http.post(f"{GROUPS}/{lone['id']}/members",
                    data={"account_ids[]": [staff[2].id]}).raise_for_status()
    for person in staff:
        person.api.account_follow(author.id)

    def followers():
        return author.http.get(f"{ANALYTICS}/accounts/{author.id}").json()["followers"]

    shown = followers()
    assert (shown["total"], shown["members"], shown["guests"]) == (3, 3, 0)
    assert [(g["name"], g["followers"]) for g in shown["groups"]] == [("Presse", 2)]
    guest = users.create(role="guest")
    guest.api.account_follow(author.id)
    shown = followers()
    # One guest: fewer than the minimum, and the members with the total would tell it.
    assert (shown["total"], shown["members"], shown["guests"]) == (4, None, None)
    assert "Einzeln" not in str(shown) and str(guest.id) not in str(shown)


def test_followers_who_merge_a_broadcasters_posts_at_read_time_count_as_delivered(
        tmp_path_factory):
    with fresh_instance(tmp_path_factory.mktemp("analytics-hybrid"),
                        ZWITSCHER_ANALYTICS_ROLLUP_SECONDS="0.3",
                        ZWITSCHER_FAN_OUT_THRESHOLD="3") as server:
        users = UserFactory(server)
        broadcaster, bystander = users.create(), users.create()
        for follower in [users.create() for _ in range(4)]:
            follower.api.account_follow(broadcaster.id)
        b = int(broadcaster.id)
        broadcaster.api.status_post("An alle")
        # A reply to someone else is not merged into the followers' homes: it reached nobody.
        question = bystander.api.status_post("Eine Frage")
        broadcaster.api.status_reply(question, "Die Antwort")
        assert queue_drained(server)  # both fan-outs have run
        assert counted(server, ("account", b, "posts")) == 2
        assert counted(server, ("account", b, "deliveries")) == 4
