"""Announcements: admins write notices for everyone signed in, who read, dismiss and react to
them; open home streams hear them come, change and go.

Announcements are for everyone on the server, so tests find theirs by id among the others.
"""

from __future__ import annotations

import secrets
import threading
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from mastodon import MastodonAPIError, MastodonNotFoundError, StreamListener

from support import wait_until

ADMIN_PATH = "/api/zwitscher/v1/admin/announcements"


def announce(admin, text: str | None = None, **fields) -> dict:
    response = admin.http.post(ADMIN_PATH, data={"text": text or f"Notice {secrets.token_hex(4)}",
                                                 **fields})
    assert response.status_code == 200, response.text
    return response.json()


def shown_to(user, announcement: dict) -> dict | None:
    return next((a for a in user.api.announcements() if a["id"] == announcement["id"]), None)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def admin(users):
    return users.create(role="admin")


def test_an_announcement_reaches_everyone_signed_in_with_read_state_of_their_own(admin,
                                                                              new_user):
    alice, bob, guest = new_user(), new_user(), new_user(role="guest")
    created = announce(admin, "Canteen closed on Friday, see #facilities @" + alice.username)
    for user in (alice, bob, guest, admin):
        seen = shown_to(user, created)
        assert seen is not None and seen["read"] is False
    assert "Canteen closed" in seen["content"]
    assert [tag["name"] for tag in seen["tags"]] == ["facilities"]
    assert [mention["id"] for mention in seen["mentions"]] == [alice.id]
    alice.api.announcement_dismiss(created["id"])
    assert shown_to(alice, created)["read"] is True
    assert shown_to(bob, created)["read"] is False


def test_reactions_are_counted_and_each_person_sees_their_own(admin, new_user):
    alice, bob = new_user(), new_user()
    created = announce(admin)
    alice.api.announcement_reaction_create(created["id"], "🎉")
    bob.api.announcement_reaction_create(created["id"], "🎉")
    bob.api.announcement_reaction_create(created["id"], "👍🏽")
    alice.api.announcement_reaction_create(created["id"], "🎉")  # again: still one
    reactions = {r["name"]: r for r in shown_to(alice, created)["reactions"]}
    assert (reactions["🎉"]["count"], reactions["🎉"]["me"]) == (2, True)
    assert (reactions["👍🏽"]["count"], reactions["👍🏽"]["me"]) == (1, False)
    bob.api.announcement_reaction_delete(created["id"], "🎉")
    reactions = {r["name"]: r for r in shown_to(bob, created)["reactions"]}
    assert (reactions["🎉"]["count"], reactions["🎉"]["me"]) == (1, False)


@pytest.mark.parametrize("name", ["notanemoji", "🎉🎉", "a", "%F0%9F", "x" * 5000])
def test_only_unicode_emoji_are_reactions(admin, new_user, name):
    alice = new_user()
    created = announce(admin)
    response = alice.http.put(f"/api/v1/announcements/{created['id']}/reactions/{name}")
    assert response.status_code in (404, 422), response.text
    assert "error" in response.json()
    assert shown_to(alice, created)["reactions"] == []


def test_at_most_eight_different_reactions(admin, new_user):
    alice = new_user()
    created = announce(admin)
    for emoji in "😀😁😂🤣😃😄😅😆":
        alice.api.announcement_reaction_create(created["id"], emoji)
    with pytest.raises(MastodonAPIError):
        alice.api.announcement_reaction_create(created["id"], "😇")
    assert len(shown_to(alice, created)["reactions"]) == 8


def test_withdrawing_a_reaction_never_given_is_not_found(admin, new_user):
    alice = new_user()
    created = announce(admin)
    with pytest.raises(MastodonNotFoundError):
        alice.api.announcement_reaction_delete(created["id"], "🎉")


def test_members_cannot_manage_announcements(admin, new_user):
    member = new_user(role="member")
    before = len(admin.http.get(ADMIN_PATH, params={"limit": 200}).json())
    response = member.http.post(ADMIN_PATH, data={"text": "I am not an admin"})
    assert response.status_code == 403
    created = announce(admin)
    assert member.http.put(f"{ADMIN_PATH}/{created['id']}", data={"text": "mine"}
                           ).status_code == 403
    assert member.http.delete(f"{ADMIN_PATH}/{created['id']}").status_code == 403
    assert member.http.get(ADMIN_PATH).status_code == 403
    assert shown_to(member, created)["content"] == created["content"]
    assert len(admin.http.get(ADMIN_PATH, params={"limit": 200}).json()) == before + 1
    plain = new_user()  # a token without admin scopes
    assert plain.http.post(ADMIN_PATH, data={"text": "no"}).status_code == 403


def test_admins_change_and_delete_announcements_and_it_is_audited(admin, new_user):
    alice = new_user()
    created = announce(admin, "First version")
    changed = admin.http.put(f"{ADMIN_PATH}/{created['id']}", data={"text": "Second version"})
    assert changed.status_code == 200
    assert "Second version" in shown_to(alice, created)["content"]
    hidden = admin.http.put(f"{ADMIN_PATH}/{created['id']}", data={"published": "false"})
    assert hidden.json()["published"] is False
    assert shown_to(alice, created) is None
    assert admin.http.delete(f"{ADMIN_PATH}/{created['id']}").json() == {}
    assert admin.http.delete(f"{ADMIN_PATH}/{created['id']}").status_code == 404
    log = admin.http.get("/api/zwitscher/v1/admin/audit_log",
                         params={"target_type": "announcement",
                                 "target_id": created["id"]}).json()
    assert [entry["action"] for entry in log] == [
        "announcement.deleted", "announcement.updated", "announcement.updated",
        "announcement.created"]


def test_scheduled_and_ended_announcements_are_not_shown(admin, new_user):
    alice = new_user()
    now = datetime.now(UTC)
    later = announce(admin, starts_at=iso(now + timedelta(days=1)),
                     ends_at=iso(now + timedelta(days=2)))
    assert shown_to(alice, later) is None
    current = announce(admin, starts_at=iso(now - timedelta(hours=1)),
                       ends_at=iso(now + timedelta(hours=1)), all_day="true")
    assert shown_to(alice, current)["all_day"] is True
    with pytest.raises(MastodonNotFoundError):
        alice.api.announcement_dismiss(later["id"])


@pytest.mark.parametrize("fields", [
    {"text": ""},
    {"text": "   "},
    {"text": "x" * 5001},
    {"text": "ok", "ends_at": "2001-01-01T00:00:00Z"},
    {"text": "ok", "starts_at": "2030-01-02T00:00:00Z", "ends_at": "2030-01-01T00:00:00Z"},
    {"text": "ok", "starts_at": "yesterday"},
    {"text": "ok", "ends_at": "99999-01-01T00:00:00Z"},
    {"text": "ok", "ends_at": "9999-12-31T23:59:59-14:00"},
    {"text": "ok", "all_day": "true"},
])
def test_bad_announcements_are_refused_and_nothing_is_created(admin, fields):
    before = admin.http.get(ADMIN_PATH, params={"limit": 200}).json()
    response = admin.http.post(ADMIN_PATH, data=fields)
    assert response.status_code == 422, response.text
    assert "error" in response.json()
    assert admin.http.get(ADMIN_PATH, params={"limit": 200}).json() == before


@pytest.mark.parametrize("announcement_id", ["0", "abc", "999999999999", "-5", "9" * 30])
def test_unknown_announcements_are_not_found(admin, new_user, announcement_id):
    alice = new_user()
    for method, path in (("POST", "dismiss"), ("PUT", "reactions/🎉"),
                         ("DELETE", "reactions/🎉")):
        response = alice.http.request(method, f"/api/v1/announcements/{announcement_id}/{path}")
        assert response.status_code == 404, response.text
    assert admin.http.put(f"{ADMIN_PATH}/{announcement_id}", data={"text": "x"}
                          ).status_code == 404


def test_announcements_need_a_signed_in_person(server):
    assert httpx.get(f"{server.base_url}/api/v1/announcements").status_code == 401


def test_the_cli_publishes_an_announcement(server, new_user):
    alice = new_user()
    text = f"From the command line {secrets.token_hex(4)}"
    server.cli("announcements", "create", text)
    assert wait_until(lambda: [a for a in alice.api.announcements() if text in a["content"]])


def test_open_home_streams_hear_announcements_reactions_and_deletions(admin, new_user):
    alice, bob = new_user(), new_user()
    events: list[tuple[str, object]] = []

    class Listener(StreamListener):
        def on_update(self, status):
            events.append(("update", status))

        def on_announcement(self, announcement):
            events.append(("announcement", announcement))

        def on_announcement_reaction(self, reaction):
            events.append(("reaction", reaction))

        def on_announcement_delete(self, announcement_id):
            events.append(("delete", str(announcement_id)))

    def heard(kind: str, match):
        return wait_until(lambda: [data for name, data in list(events)
                                   if name == kind and match(data)])

    handle = alice.api.stream_user(Listener(), run_async=True)
    try:
        assert wait_until(lambda: handle.connection is not None)
        created = announce(admin, "Live notice")
        assert heard("announcement", lambda a: a["id"] == created["id"]), events
        bob.api.announcement_reaction_create(created["id"], "👏")
        assert heard("reaction", lambda r: r["announcement_id"] == created["id"]
                     and r["name"] == "👏" and r["count"] == 1), events
        admin.http.delete(f"{ADMIN_PATH}/{created['id']}").raise_for_status()
        assert heard("delete", lambda i: i == created["id"]), events
    finally:
        threading.Thread(target=handle.close, daemon=True).start()
