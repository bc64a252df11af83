"""Profiles in the web interface: follow buttons, followers and following lists."""

from __future__ import annotations

import re

from web_support import WebClient

HOSTILE = "<script>alert(1)</script>"


def _relationship(user, other) -> dict:
    return user.api.account_relationships(other.id)[0]


def _button(web: WebClient, path: str, account_id: str, action: str, back: str | None = None):
    return web.submit(path, f"/web/accounts/{account_id}/{action}",
                      {"back": path if back is None else back})


def test_follow_and_unfollow_from_the_profile_page(web, new_user):
    alice, bob = new_user(), new_user()
    web.sign_in(alice.username)
    page = web.get(f"/@{bob.username}").text
    assert f'action="/web/accounts/{bob.id}/follow"' in page and ">Follow<" in page
    followed = _button(web, f"/@{bob.username}", bob.id, "follow")
    assert followed.url.path == f"/@{bob.username}"
    assert ">Unfollow<" in followed.text
    assert _relationship(alice, bob)["following"] is True
    assert bob.api.account(bob.id)["followers_count"] == 1
    unfollowed = _button(web, f"/@{bob.username}", bob.id, "unfollow")
    assert ">Follow<" in unfollowed.text
    assert _relationship(alice, bob)["following"] is False


def test_a_locked_account_gets_a_request_that_can_be_cancelled(web, new_user):
    alice, carol = new_user(), new_user()
    carol.api.account_update_credentials(locked=True)
    web.sign_in(alice.username)
    assert ">Ask to follow<" in web.get(f"/@{carol.username}").text
    page = _button(web, f"/@{carol.username}", carol.id, "follow")
    assert ">Cancel follow request<" in page.text
    assert _relationship(alice, carol)["requested"] is True
    assert _relationship(alice, carol)["following"] is False
    page = _button(web, f"/@{carol.username}", carol.id, "unfollow")
    assert ">Ask to follow<" in page.text
    assert _relationship(alice, carol)["requested"] is False


def test_no_follow_button_for_yourself_signed_out_or_when_blocked(web, new_user, server):
    alice, bob = new_user(), new_user()
    anonymous = WebClient(server.base_url)
    assert "/web/accounts/" not in anonymous.get(f"/@{bob.username}").text
    anonymous.close()
    web.sign_in(alice.username)
    own = web.get(f"/@{alice.username}").text
    assert "/web/accounts/" not in own and 'href="/web/settings"' in own
    bob.api.account_block(alice.id)
    # No follow button; the "more" menu (mute, block, report) stays.
    blocked_by = web.get(f"/@{bob.username}").text
    assert f"/web/accounts/{bob.id}/follow" not in blocked_by
    assert f"/web/accounts/{bob.id}/unfollow" not in blocked_by
    refused = _button(web, f"/@{alice.username}", bob.id, "follow")
    assert refused.status_code == 403
    assert _relationship(alice, bob)["following"] is False


def test_follow_with_forged_input_is_refused_and_changes_nothing(web, new_user, server):
    alice, bob = new_user(), new_user()
    web.sign_in(alice.username)
    for account_id, action in [("999999999", "follow"), ("abc", "follow"), (bob.id, "explode"),
                               (alice.id, "follow"), ("9" * 30, "unfollow")]:
        page = _button(web, f"/@{bob.username}", account_id, action)
        assert 400 <= page.status_code < 500, (account_id, action)
    no_token = web.http.post(f"/web/accounts/{bob.id}/follow", data={"back": "/"})
    assert no_token.status_code == 403
    assert _relationship(alice, bob)["following"] is False
    # Back only to a path of this site, never to another one.
    for back in ("https://evil.example/", "//evil.example/", "/\\evil.example", HOSTILE):
        page = _button(web, f"/@{bob.username}", bob.id, "follow", back=back)
        assert page.url.host == "127.0.0.1" and page.url.path == f"/@{bob.username}"
        _button(web, f"/@{bob.username}", bob.id, "unfollow")
    signed_out = WebClient(server.base_url)
    page = signed_out.submit("/web/sign-in", f"/web/accounts/{bob.id}/follow", {})
    assert page.url.path == "/web/sign-in"
    signed_out.close()
    assert bob.api.account(bob.id)["followers_count"] == 0


def test_followers_and_following_lists_show_what_the_api_shows(web, new_user, server):
    alice, bob, carol = new_user(), new_user(), new_user()
    bob.api.account_update_credentials(display_name="Bob " + HOSTILE,
                                       note="Bio of Bob " + HOSTILE)
    for follower in (bob, carol):
        follower.api.account_follow(alice.id)
    profile = web.get(f"/@{alice.username}").text
    assert f'href="/@{alice.username}/followers"' in profile and "2 followers" in profile
    assert f'href="/@{alice.username}/following"' in profile and "Follows 0 accounts" in profile
    followers = web.get(f"/@{alice.username}/followers")
    assert followers.status_code == 200
    api_usernames = [a["username"] for a in alice.api.account_followers(alice.id)]
    page_usernames = re.findall(r'class="author" href="/@(\w+)"', followers.text)
    assert page_usernames == api_usernames == [carol.username, bob.username]
    assert HOSTILE not in followers.text and "Bio of Bob" in followers.text
    assert "/web/accounts/" not in followers.text  # signed out: no buttons
    following = web.get(f"/@{bob.username}/following").text
    assert re.findall(r'class="author" href="/@(\w+)"', following) == [alice.username]
    web.sign_in(carol.username)
    signed_in = web.get(f"/@{alice.username}/followers").text
    assert f'action="/web/accounts/{bob.id}/follow"' in signed_in
    assert f'/web/accounts/{carol.id}/' not in signed_in  # no button for yourself
    page = _button(web, f"/@{alice.username}/followers", bob.id, "follow")
    assert page.url.path == f"/@{alice.username}/followers"
    assert f'action="/web/accounts/{bob.id}/unfollow"' in page.text
    assert _relationship(carol, bob)["following"] is True
    assert web.get("/@nobody_here_at_all/followers").status_code == 404


def test_followers_pages_page_through_long_lists(web, new_user):
    alice = new_user()
    fans = [new_user() for _ in range(42)]
    for fan in fans:
        fan.api.account_follow(alice.id)
    first = web.get(f"/@{alice.username}/followers").text
    assert len(re.findall(r'class="author"', first)) == 40
    older = re.search(rf'href="(/@{alice.username}/followers\?max_id=\d+)"', first).group(1)
    second = web.get(older).text
    shown = re.findall(r'class="author" href="/@(\w+)"', second)
    assert shown == [fans[1].username, fans[0].username]
    assert "Previous page" in second


def test_followers_of_a_status_id_still_reach_the_status_page(web, new_user):
    """`/@name/followers` is ours, but `/@name/<id>` stays the public status page."""
    alice = new_user()
    status = alice.api.status_post("Still here")
    assert "Still here" in web.get(f"/@{alice.username}/{status['id']}").text
