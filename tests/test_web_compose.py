"""The compact composer, announcements and the unread badge, without JavaScript: a guest is
offered only the audiences a guest may use; brand authors post as their brand (at once, or as a
draft that waits for approval, which the page says); every signed-in page shows the
announcements not yet dismissed, and dismissing one is what the API reports; the navigation
counts unread notifications until they are marked read."""

from __future__ import annotations

import re
import secrets

import pytest

from support import BRANDS, make_brand, wait_until
from web_support import WebClient, csrf_of, signed_in

pytestmark = pytest.mark.usefixtures("quiet_server_log")

ANNOUNCEMENTS = "/api/zwitscher/v1/admin/announcements"


@pytest.fixture(scope="module")
def admin(users):
    return users.create(role="admin")


def _audiences(page: str) -> list[str]:
    select = re.search(r'<select id="visibility".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="(\w+)"', select)


def _compose(web: WebClient, **fields) -> object:
    token = csrf_of(web.get("/web/home"))
    return web.http.post("/web/statuses", data={"csrf": token, "visibility": "public",
                                                **fields})


# The audience.

def test_a_guest_is_offered_no_internal_audience_anywhere_and_a_member_is(server, new_user):
    guest, member = new_user(role="guest"), new_user()
    status = member.api.status_post("Open to all", visibility="public")
    guest_web, member_web = signed_in(server, guest), signed_in(server, member)
    for path in ("/web/home", "/web/settings", f"/@{member.username}/{status['id']}"):
        assert "internal" not in _audiences(guest_web.get(path).text), path
        assert "internal" in _audiences(member_web.get(path).text), path
    # Nobody in a group is offered "Only my groups".
    assert _audiences(member_web.get("/web/home").text) == [
        "public", "internal", "unlisted", "private", "direct"]
    guest_web.close()
    member_web.close()


def test_the_chosen_audience_is_explained_and_all_are_explained_on_request(web, new_user):
    alice = new_user()
    alice.http.patch("/api/v1/accounts/update_credentials",
                     data={"source[privacy]": "private"}).raise_for_status()
    web.sign_in(alice.username)
    page = web.get("/web/home").text
    assert '<label for="visibility">Who can see this post?</label>' in page
    assert '<option value="private" data-hint="People who follow you, and people you ' \
           'mention." selected>Only my followers</option>' in page
    assert ('<p id="visibility-hint" class="hint">People who follow you, and people you '
            'mention.</p>') in page
    assert "<summary>What do these mean?</summary>" in page
    assert "<dt>Everyone in the organisation</dt><dd>Only people with an account here" in page
    # ?visibility=direct ("Start a conversation") still preselects a private message.
    direct = web.get("/web/home", params={"visibility": "direct"}).text
    assert '<option value="direct" data-hint="A private message to the people you name ' \
           'with @." selected>' in direct


def test_a_guest_who_sends_internal_anyway_is_refused_and_nothing_is_posted(web, new_user):
    guest = new_user(role="guest")
    web.sign_in(guest.username)
    refused = _compose(web, text="Sneaking in", visibility="internal")
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    assert guest.api.account_statuses(guest.id) == []


# Posting as a brand.

@pytest.fixture
def brand(admin, users):
    return make_brand(admin, users, username="desk", display_name="News desk")


def _brand_posts(admin, brand: dict) -> list[dict]:
    return admin.api.account_statuses(brand["id"])


def test_post_as_is_offered_only_to_a_brand_s_authors(server, brand, new_user):
    made, jana, tom = brand
    for author, shown in ((jana, "News desk"), (tom, "News desk (approval first)")):
        web = signed_in(server, author)
        page = web.get("/web/home").text
        assert '<label for="post_as">Post as</label>' in page
        assert f'<option value="{made["id"]}"' in page and f">{shown}</option>" in page
        web.close()
    outsider = signed_in(server, new_user(role="communicator"))
    assert 'id="post_as"' not in outsider.get("/web/home").text
    outsider.close()


def test_an_author_without_approval_posts_as_the_brand_at_once(server, admin, brand):
    made, jana, _tom = brand
    web = signed_in(server, jana)
    answer = _compose(web, text="The desk is open", post_as=made["id"])
    assert answer.status_code == 200 and answer.url.path == "/web/home"
    assert "waiting for approval" not in answer.text
    posted = _brand_posts(admin, made)
    assert len(posted) == 1 and posted[0]["content"].startswith("<p>The desk is open</p>")
    assert "Jana Stuker" in posted[0]["content"]  # the brand post names who wrote it
    assert jana.api.account_statuses(jana.id) == []
    web.close()


def test_an_author_who_needs_approval_leaves_a_draft_and_is_told_so(server, admin, brand,
                                                                   users):
    made, _jana, tom = brand
    web = signed_in(server, tom)
    answer = _compose(web, text="Big news tomorrow", post_as=made["id"], visibility="internal")
    assert answer.status_code == 200
    assert answer.url.path == "/web/home" and answer.url.params["sent"] == "approval"
    notice = re.search(r'<p class="notice" role="status">(.*?)</p>', answer.text, re.S).group(1)
    assert "Your post as News desk is waiting for approval." in notice
    assert "Nothing is public yet" in notice
    assert "/web/admin/drafts" not in notice  # Tom reviews nothing
    drafts = admin.http.get(f"{BRANDS}/{made['id']}/drafts", params={"state": "pending"}).json()
    assert [d["params"]["text"] for d in drafts] == ["Big news tomorrow"]
    assert drafts[0]["params"]["visibility"] == "internal"
    assert _brand_posts(admin, made) == [] and tom.api.account_statuses(tom.id) == []
    # A refused brand post keeps the choice, and the button says where the post goes.
    kept = _compose(web, text="", post_as=made["id"])
    assert kept.status_code == 422
    assert f'<option value="{made["id"]}" data-approval="true"' in kept.text
    assert re.search(rf'<option value="{made["id"]}"[^>]* selected>', kept.text)
    assert ">Send for approval</button>" in kept.text
    web.close()
    # Someone who may review drafts is pointed to the queue.
    editor = users.create(role="admin")
    admin.http.post(f"{BRANDS}/{made['id']}/authors", data={
        "account_id": editor.id, "needs_approval": "true"}).raise_for_status()
    editor_web = signed_in(server, editor)
    told = _compose(editor_web, text="From the editor", post_as=made["id"])
    assert '<a href="/web/admin/drafts">Open the approval queue</a>' in told.text
    editor_web.close()


def test_posting_as_a_brand_one_does_not_write_for_is_refused(server, admin, brand, new_user):
    made, _jana, _tom = brand
    stranger = new_user(role="communicator")
    web = signed_in(server, stranger)
    for value, status in ((made["id"], 403), ("not-an-id", 422), ("12345", 404)):
        refused = _compose(web, text="Hijack", post_as=value)
        assert refused.status_code == status and 'role="alert"' in refused.text, value
    assert _brand_posts(admin, made) == [] and stranger.api.account_statuses(stranger.id) == []
    web.close()


# Announcements.

@pytest.fixture
def announcement(admin):
    text = f"Fire drill at ten {secrets.token_hex(4)}"
    made = admin.http.post(ANNOUNCEMENTS, data={"text": text}).json()
    yield made, text
    admin.http.delete(f"{ANNOUNCEMENTS}/{made['id']}")


def _banner(page: str) -> str:
    found = re.search(r'<section class="announcements".*?</section>', page, re.S)
    return found.group(0) if found else ""


def _read(user, announcement: dict) -> bool:
    return next(a for a in user.api.announcements() if a["id"] == announcement["id"])["read"]


def test_an_announcement_shows_on_signed_in_pages_until_dismissed(web, new_user,
                                                                  announcement):
    made, text = announcement
    alice = new_user()
    web.sign_in(alice.username)
    for path in ("/web/home", "/web/notifications", "/web/settings"):
        assert text in _banner(web.get(path).text), path
    assert f'action="/web/announcements/{made["id"]}/dismiss"' in _banner(
        web.get("/web/settings").text)
    assert _read(alice, made) is False
    dismissed = web.submit("/web/settings", f"/web/announcements/{made['id']}/dismiss",
                           {"back": "/web/settings?saved=1"})
    assert dismissed.status_code == 200 and dismissed.url.path == "/web/settings"
    assert text not in dismissed.text
    assert _read(alice, made) is True
    # Nobody else's banner changed, and signed out there is none.
    bob = new_user()
    bobs = WebClient(web.http.base_url)
    bobs.sign_in(bob.username)
    assert text in _banner(bobs.get("/web/home").text)
    bobs.close()
    assert text not in WebClient(web.http.base_url).get(f"/@{alice.username}").text


def test_an_announcement_s_markup_is_shown_as_text(web, new_user, admin):
    made = admin.http.post(ANNOUNCEMENTS, data={
        "text": "Read <script>alert(1)</script> & <b>this</b>"}).json()
    try:
        web.sign_in(new_user().username)
        banner = _banner(web.get("/web/home").text)
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;this&lt;/b&gt;" in banner
        assert "<script>" not in banner and "<b>" not in banner
    finally:
        admin.http.delete(f"{ANNOUNCEMENTS}/{made['id']}")


def test_dismissing_needs_the_form_s_token_and_a_real_announcement(web, new_user,
                                                                  announcement):
    made, text = announcement
    alice = new_user()
    web.sign_in(alice.username)
    for data in ({}, {"csrf": "0" * 64}):
        refused = web.http.post(f"/web/announcements/{made['id']}/dismiss", data=data)
        assert refused.status_code == 403 and "nothing was changed" in refused.text
    assert _read(alice, made) is False
    for bad in ("999", "not-an-id"):
        missing = web.submit("/web/home", f"/web/announcements/{bad}/dismiss", {})
        assert missing.status_code == 404
    # "back" leads only to this site.
    away = web.submit("/web/home", f"/web/announcements/{made['id']}/dismiss",
                      {"back": "https://evil.example/"})
    assert away.url.path == "/web/home" and _read(alice, made) is True


# The unread badge.

def _badge(page: str) -> str | None:
    found = re.search(r'<a href="/web/notifications"[^>]*>Notifications<span class="nav-badge" '
                      r'aria-hidden="true">([^<]+)</span> <span class="visually-hidden">'
                      r'([^<]+)</span></a>', page)
    return f"{found.group(1)} | {found.group(2)}" if found else None


def _unread(user) -> int:
    return user.http.get("/api/v1/notifications/unread_count").json()["count"]


def test_the_navigation_counts_unread_notifications_until_marked_read(web, new_user):
    alice = new_user()
    web.sign_in(alice.username)
    assert _badge(web.get("/web/home").text) is None
    for _ in range(3):
        new_user().api.account_follow(alice.id)
    assert wait_until(lambda: _unread(alice) == 3)
    assert _badge(web.get("/web/home").text) == "3 | (3 unread)"
    page = web.get("/web/notifications").text
    marked = web.submit("/web/notifications", "/web/notifications/read",
                        {"up_to": re.search(r'name="up_to" value="(\d+)"', page).group(1)})
    assert marked.status_code == 200 and _badge(marked.text) is None
    assert _badge(web.get("/web/home").text) is None and _unread(alice) == 0
