"""Filters at work: `warn` marks statuses with `filtered`, `hide` leaves them out of timelines,
threads, notifications and streams of the filter's contexts; whole words, expiry, status
filters, and never one's own posts."""

from __future__ import annotations

from streams import Listener, close_in_background
from support import after_fan_out, in_home, keyword, wait_until

EVERY_CONTEXT = ["home", "notifications", "public", "thread", "account"]


def test_warn_filter_marks_matching_statuses_with_the_keywords_that_matched(new_user):
    alice, bob = new_user(), new_user()
    alice.api.account_follow(bob.id)
    rule = alice.api.create_filter_v2("Spoiler", ["home"], "warn",
                                      keywords_attributes=keyword("Finale"))
    matching = bob.api.status_post("Das FINALE war großartig")
    harmless = bob.api.status_post("Ein ruhiger Abend")
    shown = in_home(alice, matching.id)
    [result] = shown["filtered"]
    assert result["filter"] == {"id": rule.id, "title": "Spoiler", "context": ["home"],
                                "expires_at": None, "filter_action": "warn"}
    assert result["keyword_matches"] == ["Finale"]
    assert result["status_matches"] is None
    assert in_home(alice, harmless.id)["filtered"] == []
    # Through Mastodon.py as well: the library reads the same entity.
    assert alice.api.status(matching.id).filtered[0].filter.title == "Spoiler"


def test_content_warnings_are_searched_too(new_user):
    alice, bob = new_user(), new_user()
    alice.api.account_follow(bob.id)
    alice.api.create_filter_v2("Politik", ["home"], "warn",
                               keywords_attributes=keyword("Wahl"))
    status = bob.api.status_post("Alles dazu hier", spoiler_text="Wahl 2026")
    assert in_home(alice, status.id)["filtered"][0]["keyword_matches"] == ["Wahl"]


def test_filters_of_another_context_leave_a_timeline_alone(new_user):
    alice, bob = new_user(), new_user()
    alice.api.account_follow(bob.id)
    alice.api.create_filter_v2("Nur öffentlich", ["public"], "hide",
                               keywords_attributes=keyword("Baustelle"))
    status = bob.api.status_post("Baustelle am Haupteingang")
    assert in_home(alice, status.id)["filtered"] == []
    public = alice.http.get("/api/v1/timelines/public", params={"limit": 40}).json()
    assert status.id not in [s["id"] for s in public]


def test_hide_filter_removes_statuses_from_home_public_account_and_thread(new_user):
    alice, bob = new_user(), new_user()
    alice.api.account_follow(bob.id)
    alice.api.create_filter_v2("Weg damit", EVERY_CONTEXT, "hide",
                               keywords_attributes=keyword("Kantine"))
    root = bob.api.status_post("Was gibt es heute?")
    hidden_reply = bob.api.status_post("Kantine hat zu", in_reply_to_id=root.id)
    kept_reply = bob.api.status_post("Pizza!", in_reply_to_id=root.id)
    after_fan_out(bob, alice, hidden_reply.id)

    def ids(path: str, **params) -> list[str]:
        return [s["id"] for s in alice.http.get(path, params=params).json()]

    assert hidden_reply.id not in ids("/api/v1/timelines/public", limit=40)
    assert hidden_reply.id not in ids(f"/api/v1/accounts/{bob.id}/statuses")
    assert kept_reply.id in ids(f"/api/v1/accounts/{bob.id}/statuses")
    context = alice.api.status_context(root.id)
    assert [s.id for s in context.descendants] == [kept_reply.id]
    # Others, and people who are not signed in, still see it all.
    anonymous = bob.http.get("/api/v1/timelines/public", params={"limit": 40},
                             headers={"Authorization": ""}).json()
    assert hidden_reply.id in [s["id"] for s in anonymous]
    assert all("filtered" not in s for s in anonymous)


def test_hide_filter_removes_notifications_about_matching_statuses(new_user):
    alice, bob = new_user(), new_user()
    alice.api.create_filter_v2("Ruhe", ["notifications"], "hide",
                               keywords_attributes=keyword("dringend"))
    hidden = bob.api.status_post(f"@{alice.username} DRINGEND: bitte melden")
    shown = bob.api.status_post(f"@{alice.username} wenn du Zeit hast")

    def mentioned() -> list[str]:
        return [n.status.id for n in alice.api.notifications() if n.status]

    assert wait_until(lambda: shown.id in mentioned())
    assert hidden.id not in mentioned()
    # The post itself stays readable; as in Mastodon, `filtered` tells apps why it was left out.
    assert alice.api.status(hidden.id).filtered[0].filter.title == "Ruhe"


def test_whole_word_keywords_match_only_whole_words_and_others_anywhere(new_user):
    alice, bob = new_user(), new_user()
    alice.api.account_follow(bob.id)
    alice.api.create_filter_v2("Tiere", ["home"], "warn", keywords_attributes=[
        {"keyword": "cat", "whole_word": True}, {"keyword": "dog", "whole_word": False}])
    posts = {text: bob.api.status_post(text).id
             for text in ("concatenate this", "my cat, again", "CAT!", "hotdogs for all")}

    def matched(text: str) -> list[str]:
        return [k for r in in_home(alice, posts[text])["filtered"] for k in r["keyword_matches"]]

    assert matched("concatenate this") == []
    assert matched("my cat, again") == ["cat"]
    assert matched("CAT!") == ["cat"]
    assert matched("hotdogs for all") == ["dog"]


def test_keywords_are_text_never_patterns(new_user):
    alice, bob = new_user(), new_user()
    alice.api.account_follow(bob.id)
    alice.api.create_filter_v2("Regex", ["home"], "warn",
                               keywords_attributes=keyword("(a+)+$") + keyword("a.c"))
    bomb = bob.api.status_post("a" * 400 + "!")
    literal = bob.api.status_post("Wer schreibt (a+)+$ in einen Beitrag?")
    dot = bob.api.status_post("abc")
    assert in_home(alice, bomb.id)["filtered"] == []
    assert in_home(alice, literal.id)["filtered"][0]["keyword_matches"] == ["(a+)+$"]
    assert in_home(alice, dot.id)["filtered"] == []


def test_own_posts_are_never_filtered(new_user):
    alice = new_user()
    alice.api.create_filter_v2("Selbst", EVERY_CONTEXT, "hide",
                               keywords_attributes=keyword("Montag"))
    mine = alice.api.status_post("Montag, endlich")
    assert in_home(alice, mine.id)["filtered"] == []
    assert mine.id in [s.id for s in alice.api.account_statuses(alice.id)]


def test_a_reblog_is_filtered_by_what_it_reblogs(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    alice.api.account_follow(bob.id)
    alice.api.create_filter_v2("Werbung", ["home"], "warn",
                               keywords_attributes=keyword("Rabatt"))
    original = carol.api.status_post("50 % Rabatt heute")
    reblog = bob.api.status_reblog(original.id)
    shown = in_home(alice, reblog.id)
    assert shown["filtered"][0]["keyword_matches"] == ["Rabatt"]
    assert shown["reblog"]["filtered"][0]["keyword_matches"] == ["Rabatt"]


def test_status_filters_match_that_status_and_its_reblogs(new_user):
    alice, bob = new_user(), new_user()
    alice.api.account_follow(bob.id)
    status = bob.api.status_post("Genau dieser Beitrag")
    other = bob.api.status_post("Ein anderer")
    rule = alice.api.create_filter_v2("Dieser", ["home"], "warn")
    alice.api.add_filter_status_v2(rule.id, status.id)
    [result] = in_home(alice, status.id)["filtered"]
    assert result["status_matches"] == [status.id]
    assert result["keyword_matches"] is None
    assert in_home(alice, other.id)["filtered"] == []


def test_an_expired_filter_stops_applying(new_user):
    alice, bob = new_user(), new_user()
    alice.api.account_follow(bob.id)
    rule = alice.api.create_filter_v2("Kurz", ["home"], "hide", expires_in=2,
                                      keywords_attributes=keyword("Eilmeldung"))
    assert rule.expires_at is not None
    status = bob.api.status_post("Eilmeldung: alles gut")
    shown = wait_until(lambda: next((s for s in alice.http.get("/api/v1/timelines/home").json()
                                     if s["id"] == status.id), None), timeout=30)
    assert shown is not None and shown["filtered"] == []
    assert [f.id for f in alice.api.filters_v2()] == [rule.id]  # kept, as Mastodon keeps them


def test_v1_irreversible_filter_hides_like_a_v2_hide_filter(new_user):
    alice, bob = new_user(), new_user()
    alice.api.account_follow(bob.id)
    alice.api.filter_create("Lärm", ["home"], irreversible=True, whole_word=True)
    hidden = bob.api.status_post("Lärm im Flur")
    after_fan_out(bob, alice, hidden.id)


def test_user_stream_drops_hidden_posts_marks_warned_ones_and_hears_filter_changes(new_user):
    alice, bob = new_user(), new_user()
    alice.api.account_follow(bob.id)
    listener = Listener()
    handle = alice.api.stream_user(listener, run_async=True)
    try:
        assert wait_until(lambda: handle.connection is not None)
        alice.api.create_filter_v2("Weg", ["home"], "hide",
                                   keywords_attributes=keyword("Stau"))
        alice.api.create_filter_v2("Achtung", ["home"], "warn",
                                   keywords_attributes=keyword("Glatteis"))
        assert wait_until(lambda: listener.filters_changed >= 2)
        hidden = bob.api.status_post("Stau auf der A8")
        warned = bob.api.status_post("Glatteis am Parkplatz")
        sentinel = bob.api.status_post("Schönes Wochenende")
        assert wait_until(lambda: sentinel.id in [s.id for s in listener.updates])
        received = {s.id: s for s in listener.updates}
        assert hidden.id not in received
        assert received[warned.id].filtered[0].keyword_matches == ["Glatteis"]
        assert received[sentinel.id].filtered == []
    finally:
        close_in_background(handle)


def test_open_public_stream_applies_a_filter_made_after_it_opened(new_user):
    alice, bob = new_user(), new_user()
    listener = Listener()
    handle = alice.api.stream_public(listener, run_async=True)
    try:
        assert wait_until(lambda: handle.connection is not None)
        alice.api.create_filter_v2("Öffentlich weg", ["public"], "hide",
                                   keywords_attributes=keyword("Gerücht"))
        hidden = bob.api.status_post("Ein Gerücht macht die Runde")
        sentinel = bob.api.status_post("Offizielle Mitteilung")
        assert wait_until(lambda: sentinel.id in [s.id for s in listener.updates])
        assert hidden.id not in [s.id for s in listener.updates]
    finally:
        close_in_background(handle)
