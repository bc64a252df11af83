"""Following hashtags: posts that carry a followed tag come into the follower's home and home
stream, as far as visibility, blocks and mutes allow.

To show that something did *not* arrive, a test posts a sentinel after it that must arrive;
fan-out runs in order, so once the sentinel is there the other would be too.
"""

from __future__ import annotations

import secrets
import threading

import httpx
import pytest
from mastodon import MastodonAPIError, MastodonNotFoundError, StreamListener

from support import wait_until


def unique_tag(prefix: str = "topic") -> str:
    return f"{prefix}{secrets.token_hex(4)}"


def home_ids(user) -> list[str]:
    return [status["id"] for status in user.api.timeline_home(limit=40)]


def arrives(user, status) -> bool:
    return bool(wait_until(lambda: status["id"] in home_ids(user)))


def test_a_followed_tag_brings_a_strangers_public_post_into_home(new_user):
    alice, stranger = new_user(), new_user()
    name = unique_tag("Release")
    followed = alice.api.tag_follow(name.lower())
    assert followed["following"] is True
    post = stranger.api.status_post(f"New version out #{name}")
    assert arrives(alice, post)
    assert [tag["name"].lower() for tag in alice.api.followed_tags()] == [name.lower()]
    assert alice.api.tag(name.upper())["following"] is True
    assert stranger.api.tag(name)["following"] is False
    found = alice.api.search_v2(name, result_type="hashtags")["hashtags"]
    assert [tag["following"] for tag in found] == [True]


def test_unfollowing_a_tag_stops_its_posts_and_takes_them_out_of_home(new_user):
    alice, stranger, friend = new_user(), new_user(), new_user()
    alice.api.account_follow(friend.id)
    name = unique_tag()
    alice.api.tag_follow(name)
    before = stranger.api.status_post(f"first #{name}")
    assert arrives(alice, before)
    assert alice.api.tag_unfollow(name)["following"] is False
    assert before["id"] not in home_ids(alice)
    after = stranger.api.status_post(f"second #{name}")
    sentinel = friend.api.status_post("sentinel")
    assert arrives(alice, sentinel)
    assert after["id"] not in home_ids(alice)
    assert alice.api.followed_tags() == []


def test_unfollowing_a_tag_keeps_posts_of_people_you_follow(new_user):
    alice, friend = new_user(), new_user()
    alice.api.account_follow(friend.id)
    name = unique_tag()
    alice.api.tag_follow(name)
    post = friend.api.status_post(f"from a friend #{name}")
    assert arrives(alice, post)
    alice.api.tag_unfollow(name)
    assert post["id"] in home_ids(alice)


@pytest.mark.parametrize("visibility", ["unlisted", "private", "direct"])
def test_only_public_posts_reach_tag_followers_who_do_not_follow_the_author(new_user,
                                                                          visibility):
    alice, stranger = new_user(), new_user()
    name = unique_tag()
    alice.api.tag_follow(name)
    hidden = stranger.api.status_post(f"not for everyone #{name}", visibility=visibility)
    sentinel = stranger.api.status_post(f"for everyone #{name}")
    assert arrives(alice, sentinel)
    assert hidden["id"] not in home_ids(alice)


def test_tagged_posts_of_muted_or_blocked_authors_stay_out(new_user):
    alice, muted, blocked, blocker, other = (new_user() for _ in range(5))
    name = unique_tag()
    alice.api.tag_follow(name)
    alice.api.account_mute(muted.id)
    alice.api.account_block(blocked.id)
    blocker.api.account_block(alice.id)
    hidden = [user.api.status_post(f"hello #{name}") for user in (muted, blocked, blocker)]
    sentinel = other.api.status_post(f"hello too #{name}")
    assert arrives(alice, sentinel)
    assert not {status["id"] for status in hidden} & set(home_ids(alice))


def test_an_internal_tagged_post_reaches_members_following_the_tag_but_not_guests(new_user):
    member, guest, author = new_user(), new_user(role="guest"), new_user()
    name = unique_tag()
    member.api.tag_follow(name)
    guest.api.tag_follow(name)
    # Mastodon.py knows Mastodon's four visibilities only.
    internal = author.http.post("/api/v1/statuses", data={
        "status": f"staff only #{name}", "visibility": "internal"}).json()
    assert arrives(member, internal)
    sentinel = author.api.status_post(f"everyone #{name}")
    assert arrives(guest, sentinel)
    assert internal["id"] not in home_ids(guest)


def test_a_reblog_of_a_tagged_post_does_not_arrive_twice(new_user):
    alice, stranger, booster = new_user(), new_user(), new_user()
    name = unique_tag()
    alice.api.tag_follow(name)
    post = stranger.api.status_post(f"original #{name}")
    assert arrives(alice, post)
    reblog = booster.api.status_reblog(post["id"])
    sentinel = stranger.api.status_post(f"later #{name}")
    assert arrives(alice, sentinel)
    assert reblog["id"] not in home_ids(alice)


def test_followed_tag_posts_arrive_on_the_home_stream(new_user):
    alice, stranger = new_user(), new_user()
    name = unique_tag()
    alice.api.tag_follow(name)
    updates = []

    class Listener(StreamListener):
        def on_update(self, status):
            updates.append(status)

    handle = alice.api.stream_user(Listener(), run_async=True)
    try:
        assert wait_until(lambda: handle.connection is not None)
        post = stranger.api.status_post(f"live #{name}")
        assert wait_until(lambda: [s for s in updates if s["id"] == post["id"]]), updates
    finally:
        # requests notices the close only at the next heartbeat: do not wait for it.
        threading.Thread(target=handle.close, daemon=True).start()


def test_following_is_idempotent_and_case_insensitive(new_user):
    alice = new_user()
    name = unique_tag("Mixed")
    alice.api.tag_follow(name)
    alice.api.tag_follow(name.upper())
    assert len(alice.api.followed_tags()) == 1
    assert alice.api.tag_unfollow(name.lower())["following"] is False


def test_a_tag_nobody_used_can_be_looked_up_and_has_an_empty_history(new_user):
    alice = new_user()
    tag = alice.api.tag(unique_tag())
    assert tag["following"] is False
    assert len(tag["history"]) == 7 and all(day["uses"] == "0" for day in tag["history"])


def test_a_tags_history_counts_public_uses_only(new_user):
    alice, bob = new_user(), new_user()
    name = unique_tag()
    alice.api.status_post(f"one #{name}")
    bob.api.status_post(f"two #{name}")
    bob.api.status_post(f"secret #{name}", visibility="private")
    today = alice.api.tag(name)["history"][0]
    assert (today["uses"], today["accounts"]) == ("2", "2")


def test_trending_tags_say_whether_you_follow_them(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    name = unique_tag()
    alice.api.status_post(f"one #{name}")
    bob.api.status_post(f"two #{name}")
    carol.api.tag_follow(name)

    def trend_of(user):
        for offset in range(0, 400, 20):  # other tests' tags trend too
            page = user.api.trending_tags(limit=20, offset=offset)
            found = [t for t in page if t["name"] == name]
            if found or not page:
                return found[0] if found else None
        return None

    assert trend_of(carol)["following"] is True
    assert trend_of(alice)["following"] is False


def test_followed_tags_page_with_link_headers(new_user):
    alice = new_user()
    names = [unique_tag() for _ in range(3)]
    for name in names:
        alice.api.tag_follow(name)
    first = alice.api.followed_tags(limit=2)
    assert [tag["name"] for tag in first] == names[:0:-1]
    rest = alice.api.fetch_next(first)
    assert [tag["name"] for tag in rest] == names[:1]


HOSTILE = ["..%2F..%2Fetc", "a" * 10_000, "123", "tag%20name", "%E2%80%AE", "tag.name",
           "%00tag", "#"]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_tag_names_are_refused_and_change_nothing(new_user, name):
    alice = new_user()
    for method, path in (("GET", ""), ("POST", "/follow"), ("POST", "/unfollow")):
        response = alice.http.request(method, f"/api/v1/tags/{name}{path}")
        assert response.status_code in (400, 404), response.text
        assert "error" in response.json()
    assert alice.api.followed_tags() == []


def test_following_needs_a_signed_in_person(server, new_user):
    response = httpx.post(f"{server.base_url}/api/v1/tags/anything/follow")
    assert response.status_code == 401
    alice = new_user()
    with pytest.raises(MastodonNotFoundError):
        alice.api.tag_follow("123")
    with pytest.raises(MastodonAPIError):
        alice.api.tag("x" * 300)
