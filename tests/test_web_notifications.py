"""The notifications page: each kind in plain words for a real action done through the API,
groups, the mentions filter, paging, follow requests answered from the page, marking as read,
held-back notifications, visibility, refused forms and hostile input."""

from __future__ import annotations

import re
import secrets

import pytest

from support import UserFactory, wait_until
from web_support import WebClient, fresh_instance

GROUPS = "/api/zwitscher/v1/groups"
HOSTILE = "<script>alert(1)</script>"


def named(new_user, name: str, **options):
    return new_user(display_name=name, **options)


def page_of(web: WebClient, path: str = "/web/notifications") -> str:
    page = web.get(path)
    assert page.status_code == 200, page.text
    return page.text


def unread_count(user) -> int:
    return user.http.get("/api/v1/notifications/unread_count").json()["count"]


def articles(text: str) -> list[str]:
    return re.findall(r'<article class="notification.*?</article>', text, re.S)


def test_signed_out_visitors_are_sent_to_sign_in(web):
    for path in ("/web/notifications", "/web/notifications/requests"):
        page = web.get(path)
        assert page.url.path == "/web/sign-in"


def test_follows_favourites_boosts_mentions_and_new_posts_read_in_plain_words(web, new_user):
    alice = named(new_user, "Alice")
    anna, ben, chris, dana = (named(new_user, name) for name in ("Anna", "Ben", "Chris", "Dana"))
    mine = alice.api.status_post("My own words")
    alice.api.account_follow(dana.id, notify=True)
    anna.api.account_follow(alice.id)
    ben.api.status_favourite(mine["id"])
    chris.api.status_post(f"@{alice.username} look at this")
    dana.api.status_reblog(mine["id"])
    dana.api.status_post("Fresh from Dana")
    web.sign_in(alice.username)
    text = wait_until(lambda: (t := page_of(web)) and "Dana has a new post" in t and t)
    for words in ("Anna followed you", "Ben favourited your post", "Chris mentioned you",
                  "Dana boosted your post", "Dana has a new post"):
        assert words in text, words
    assert "look at this" in text and "Fresh from Dana" in text and "My own words" in text
    # Newest first.
    assert text.index("Dana has a new post") < text.index("Anna followed you")
    # The people are links to their profiles; the heading counts what is unread.
    assert f'href="/@{anna.username}"' in text
    assert re.search(r"\(5 unread\)", text)


def test_favourites_of_one_post_are_grouped(web, new_user):
    alice = named(new_user, "Alice")
    mine = alice.api.status_post("Popular")
    for name in ("Erik", "Frida", "Gus"):
        named(new_user, name).api.status_favourite(mine["id"])
    web.sign_in(alice.username)
    text = page_of(web)
    assert "Gus and 2 other people favourited your post" in text
    assert len(articles(text)) == 1


def test_a_poll_that_ended_is_announced(web, quick_poll_instance):
    server, users = quick_poll_instance
    alice, bob = users.create(display_name="Alice"), users.create(display_name="Bob")
    asked = bob.http.post("/api/v1/statuses", json={
        "status": "Tea or coffee?", "poll": {"options": ["Tea", "Coffee"], "expires_in": 1}})
    asked.raise_for_status()
    alice.api.poll_vote(asked.json()["poll"]["id"], 0)
    client = WebClient(server.base_url)
    client.sign_in(alice.username)
    text = wait_until(lambda: (t := page_of(client)) and "has ended" in t and t, timeout=30)
    assert "A poll by Bob that you voted in has ended" in text
    bobs = WebClient(server.base_url)
    bobs.sign_in(bob.username)
    assert wait_until(lambda: "Your poll has ended" in page_of(bobs), timeout=30)
    client.close()
    bobs.close()


@pytest.fixture(scope="module")
def quick_poll_instance(tmp_path_factory):
    with fresh_instance(tmp_path_factory.mktemp("web-polls"),
                        ZWITSCHER_POLL_MIN_EXPIRES_SECONDS="1") as server:
        yield server, UserFactory(server)


def test_reports_reach_moderators_in_plain_words(web, new_user):
    moderator = new_user(role="moderator")
    reporter, target = named(new_user, "Rita"), named(new_user, "Troll")
    reporter.api.report(target.id, comment=f"Rude {HOSTILE}", category="spam")
    web.sign_in(moderator.username)
    text = page_of(web)
    assert "Rita reported Troll" in text and "Spam" in text
    assert HOSTILE not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_a_group_post_is_announced_to_members(web, new_user):
    admin = new_user(role="admin")
    member, author = named(new_user, "Mia"), named(new_user, "Otto")
    group = admin.http.post(GROUPS, data={"slug": f"team-{secrets.token_hex(3)}",
                                          "name": "Team Blue"}).json()
    admin.http.post(f"{GROUPS}/{group['id']}/members",
                    data={"account_ids[]": [member.id, author.id]}).raise_for_status()
    author.http.post("/api/v1/statuses", data={
        "status": "Meeting at ten", "visibility": "group", "group_ids[]": group["id"]}
    ).raise_for_status()
    web.sign_in(member.username)
    text = wait_until(lambda: (t := page_of(web)) and "Meeting at ten" in t and t)
    assert "Otto posted to Team Blue" in text


def test_the_mentions_filter_shows_only_mentions(web, new_user):
    alice = new_user()
    follower, talker = named(new_user, "Fiona"), named(new_user, "Theo")
    follower.api.account_follow(alice.id)
    talker.api.status_post(f"@{alice.username} hello there")
    web.sign_in(alice.username)
    text = page_of(web, "/web/notifications?filter=mentions")
    assert "Theo mentioned you" in text and "Fiona followed you" not in text
    assert re.search(r'href="/web/notifications\?filter=mentions" aria-current="page"', text)
    assert "Fiona followed you" in page_of(web, "/web/notifications?filter=nonsense")


def test_notifications_page_to_older_ones_without_javascript(web, new_user):
    alice, talker = new_user(), named(new_user, "Talker")
    for number in range(23):
        talker.api.status_post(f"@{alice.username} number {number}")
    web.sign_in(alice.username)
    first = page_of(web)
    assert "number 22" in first and "number 2<" not in first
    assert len(articles(first)) == 20
    older = re.search(r'href="(/web/notifications\?max_id=\d+)"', first).group(1)
    second = page_of(web, older)
    assert "number 2<" in second and "number 22" not in second
    newer = re.search(r'href="(/web/notifications\?min_id=\d+)"', second).group(1)
    assert "number 22" in page_of(web, newer)
    for bad in ("max_id=abc", "min_id=-1", "max_id=99999999999999999999"):
        page = web.get(f"/web/notifications?{bad}")
        assert page.status_code == 422 and "is not a valid id" in page.text


def test_accepting_a_follow_request_from_the_page_makes_a_follower(web, new_user):
    alice = named(new_user, "Alice", locked=True)
    carol = named(new_user, "Carol")
    carol.api.account_follow(alice.id)
    web.sign_in(alice.username)
    text = page_of(web)
    assert "Carol asks to follow you" in text
    assert "Accept<span class=\"visually-hidden\"> the follow request from Carol" in text
    page = web.submit("/web/notifications", f"/web/follow_requests/{carol.id}/authorize", {})
    assert page.url.path == "/web/notifications" and page.status_code == 200
    assert carol.api.account_relationships(alice.id)[0]["following"] is True
    assert "Carol asks to follow you" not in page.text


def test_rejecting_a_follow_request_from_the_page_leaves_no_follower(web, new_user):
    alice = named(new_user, "Alice", locked=True)
    dave = named(new_user, "Dave")
    dave.api.account_follow(alice.id)
    web.sign_in(alice.username)
    page = web.submit("/web/notifications", f"/web/follow_requests/{dave.id}/reject", {})
    assert page.status_code == 200 and "Dave asks to follow you" not in page.text
    relationship = dave.api.account_relationships(alice.id)[0]
    assert relationship["following"] is False and relationship["requested"] is False
    # Answering again, or for someone who never asked: explained, nothing changes.
    again = web.submit("/web/notifications", f"/web/follow_requests/{dave.id}/authorize", {})
    assert again.status_code == 404 and "already answered" in again.text
    assert dave.api.account_relationships(alice.id)[0]["following"] is False
    for wrong in ("abc", "0", "9" * 30):
        page = web.submit("/web/notifications", f"/web/follow_requests/{wrong}/authorize", {})
        assert page.status_code == 404 and 'role="alert"' in page.text


def test_a_form_without_its_token_is_refused_and_changes_nothing(web, new_user):
    alice = named(new_user, "Alice", locked=True)
    erin = named(new_user, "Erin")
    erin.api.account_follow(alice.id)
    web.sign_in(alice.username)
    for action in (f"/web/follow_requests/{erin.id}/authorize", "/web/notifications/read",
                   f"/web/follow_requests/{erin.id}/reject",
                   "/web/notifications/requests/1/accept",
                   "/web/notifications/requests/1/dismiss"):
        refused = web.http.post(action, data={"csrf": "0" * 64})
        assert refused.status_code == 403 and "nothing was changed" in refused.text
    assert erin.api.account_relationships(alice.id)[0]["requested"] is True
    assert unread_count(alice) == 1


def test_mark_all_as_read_drops_the_unread_count_the_api_reports(web, new_user):
    alice = new_user()
    for _ in range(3):
        new_user().api.account_follow(alice.id)
    web.sign_in(alice.username)
    text = page_of(web)
    # Three follows in a row are one group, marked as new once.
    assert "(3 unread)" in text and text.count('class="badge"') == 1
    assert "and 2 other people followed you" in text
    assert unread_count(alice) == 3
    page = web.submit("/web/notifications", "/web/notifications/read",
                      {"up_to": re.search(r'name="up_to" value="(\d+)"', text).group(1)})
    assert page.status_code == 200 and "unread)" not in page.text
    assert 'class="badge"' not in page.text and "Mark all as read" not in page.text
    assert unread_count(alice) == 0
    # One that comes afterwards is new again.
    new_user().api.account_follow(alice.id)
    assert unread_count(alice) == 1 and "(1 unread)" in page_of(web)


def test_marking_read_up_to_a_made_up_id_marks_no_future_notification(web, new_user):
    alice = new_user()
    new_user().api.account_follow(alice.id)
    web.sign_in(alice.username)
    page = web.submit("/web/notifications", "/web/notifications/read",
                      {"up_to": str(2**63 - 1)})
    assert page.status_code == 200 and unread_count(alice) == 0
    new_user().api.account_follow(alice.id)
    assert unread_count(alice) == 1
    bad = web.submit("/web/notifications", "/web/notifications/read", {"up_to": HOSTILE})
    assert bad.status_code == 400 and 'role="alert"' in bad.text
    assert unread_count(alice) == 1


def test_notifications_about_posts_no_longer_visible_are_not_shown(web, new_user):
    alice, bob = new_user(), named(new_user, "Bob")
    alice.api.account_follow(bob.id, notify=True)
    bob.api.status_post("Only for my followers", visibility="private")
    gone = bob.api.status_post(f"@{alice.username} soon deleted")
    web.sign_in(alice.username)
    assert wait_until(lambda: "Only for my followers" in page_of(web))
    bob.api.status_delete(gone["id"])
    alice.api.account_unfollow(bob.id)
    text = page_of(web)
    assert "Only for my followers" not in text and "soon deleted" not in text
    assert "Bob has a new post" not in text


def test_hostile_names_and_posts_are_shown_as_text(web, new_user):
    alice = new_user()
    mallory = named(new_user, HOSTILE)
    mallory.api.account_follow(alice.id)
    mallory.api.status_post(f"@{alice.username} {HOSTILE}", spoiler_text=HOSTILE)
    web.sign_in(alice.username)
    text = page_of(web)
    assert HOSTILE not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; followed you" in text


def test_held_back_notifications_can_be_reviewed_accepted_and_dismissed(web, new_user):
    alice = new_user()
    stranger, spammer = named(new_user, "Stranger"), named(new_user, "Spammer")
    alice.http.patch("/api/v2/notifications/policy",
                     data={"for_not_following": "filter"}).raise_for_status()
    stranger.api.status_post(f"@{alice.username} hi, we have not met")
    spammer.api.status_post(f"@{alice.username} buy now")
    web.sign_in(alice.username)
    text = page_of(web)
    assert "2 people whose notifications were held back" in text
    assert "hi, we have not met" not in text
    held = page_of(web, "/web/notifications/requests")
    assert "Stranger sent you 1 notification" in held and "buy now" in held
    ids = dict((name, request_id) for request_id, name in re.findall(
        r'/web/notifications/requests/(\d+)/accept.*?notifications from (\w+)', held, re.S))
    page = web.submit("/web/notifications/requests",
                      f"/web/notifications/requests/{ids['Stranger']}/accept",
                      {"back": "requests"})
    assert page.url.path == "/web/notifications/requests" and "Stranger sent" not in page.text
    page = web.submit("/web/notifications/requests",
                      f"/web/notifications/requests/{ids['Spammer']}/dismiss",
                      {"back": "requests"})
    assert "Nothing is held back." in page.text
    text = page_of(web)
    assert "Stranger mentioned you" in text and "buy now" not in text
    assert "held back" not in text
    # Someone else's request, or one already answered: not found, nothing changes.
    again = web.submit("/web/notifications/requests",
                       f"/web/notifications/requests/{ids['Stranger']}/dismiss",
                       {"back": "requests"})
    assert again.status_code == 404 and "already answered" in again.text
    assert "Stranger mentioned you" in page_of(web)


def test_another_persons_notification_card_is_not_found(web, new_user):
    alice, bob = new_user(), new_user()
    new_user().api.account_follow(alice.id)
    theirs = alice.api.notifications()[0]["id"]
    web.sign_in(bob.username)
    assert web.get(f"/web/notifications/{theirs}/card").status_code == 404
    assert web.get("/web/notifications/nonsense/card").status_code == 404
    owner = WebClient(web.http.base_url)
    owner.sign_in(alice.username)
    card = owner.get(f"/web/notifications/{theirs}/card")
    assert card.status_code == 200 and "followed you" in card.text
    owner.close()


def test_other_peoples_requests_cannot_be_answered(web, server, new_user):
    alice = new_user(locked=True)
    asker, stranger = named(new_user, "Asker"), named(new_user, "Stranger")
    asker.api.account_follow(alice.id)
    alice.http.patch("/api/v2/notifications/policy",
                     data={"for_not_following": "filter"}).raise_for_status()
    stranger.api.status_post(f"@{alice.username} psst")
    held_id = alice.http.get("/api/v1/notifications/requests").json()[0]["id"]
    mallory = new_user()
    web.sign_in(mallory.username)
    for action in (f"/web/follow_requests/{asker.id}/authorize",
                   f"/web/notifications/requests/{held_id}/accept"):
        page = web.submit("/web/notifications", action, {})
        assert page.status_code == 404 and "already answered" in page.text
    assert asker.api.account_relationships(alice.id)[0]["requested"] is True
    assert [r["id"] for r in alice.http.get("/api/v1/notifications/requests").json()
            ] == [held_id]
