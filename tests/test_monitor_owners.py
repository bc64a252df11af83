"""Monitors of several people matching the same post: each stores it only if its owner may see
it (the owners are asked together, in one query, when a post is matched)."""

from __future__ import annotations

import secrets

import pytest

from monitor_support import make_monitor, timeline_ids
from support import wait_until

pytestmark = pytest.mark.usefixtures("quiet_server_log")


def test_each_owner_of_a_matching_monitor_gets_only_the_posts_they_may_see(new_user,
                                                                          browser_of):
    author, follower, stranger, blocked = new_user(), new_user(), new_user(), new_user()
    follower.api.account_follow(author.id)
    author.api.account_block(blocked.id)
    brand = "Marke" + secrets.token_hex(4)
    monitors = {}
    for name, user in (("follower", follower), ("stranger", stranger), ("blocked", blocked)):
        monitors[name] = (user, make_monitor(user, name=name, keywords=[brand]))
    private = author.api.status_post(f"{brand} for my followers", visibility="private")
    public = author.api.status_post(f"{brand} for everyone", visibility="public")
    last = author.api.status_post(f"{brand} last", visibility="public")
    user, monitor = monitors["stranger"]
    assert wait_until(lambda: str(last["id"]) in timeline_ids(user, monitor))
    held = {name: set(timeline_ids(user, monitor)) for name, (user, monitor) in monitors.items()}
    ids = {str(private["id"]): "private", str(public["id"]): "public"}
    assert {ids[i] for i in held["follower"] if i in ids} == {"private", "public"}
    assert {ids[i] for i in held["stranger"] if i in ids} == {"public"}
    assert {ids[i] for i in held["blocked"] if i in ids} == set()
    # Stored only where the owner may see the post (the counts are of what was stored).
    for name, stored in (("follower", "3 matches"), ("stranger", "2 matches"),
                         ("blocked", "0 matches")):
        user, monitor = monitors[name]
        page = browser_of(user).get(f"/web/monitors/{monitor['id']}")
        assert f"{stored} in the last 24 hours" in page.text, name
