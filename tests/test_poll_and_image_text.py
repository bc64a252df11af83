"""A status is more than its text: filters and search see its poll options and image
descriptions too (as in Mastodon), streams carry its images and poll, and its edit history
shows the images and poll options each version had."""

from __future__ import annotations

import json

import httpx
import pytest

from media_support import image_bytes
from streams import Listener, SseStream, close_in_background
from support import after_fan_out, found, in_home, keyword, wait_until, word


@pytest.fixture(scope="module", autouse=True)
def no_tracebacks_in_server_log(server):
    start = len(server.log_text())
    yield
    assert "Traceback" not in server.log_text()[start:]


def png(user, description: str | None = None):
    return user.api.media_post(image_bytes("PNG", (64, 48)), mime_type="image/png",
                               description=description)


def poll(user, *options: str):
    return user.api.make_poll(list(options), expires_in=3600)


# Filters.

def test_a_filter_matches_a_poll_option_and_an_image_description(new_user):
    alice, bob = new_user(), new_user()
    alice.api.account_follow(bob.id)
    alice.api.create_filter_v2("Fußball", ["home"], "warn",
                               keywords_attributes=keyword("Elfmeter"))
    voted = bob.api.status_post("Eure Meinung?", poll=poll(bob, "Elfmeter", "Kein Elfmeter"))
    pictured = bob.api.status_post("Szene des Tages", media_ids=[png(bob, "Der Elfmeter")])
    plain = bob.api.status_post("Szene ohne Worte", media_ids=[png(bob, "Ein Tor")])
    for status in (voted, pictured):
        assert in_home(alice, status.id)["filtered"][0]["keyword_matches"] == ["Elfmeter"]
        # A single status, read on its own, names the filter too.
        assert alice.api.status(status.id).filtered[0].filter.title == "Fußball"
    assert in_home(alice, plain.id)["filtered"] == []


def test_a_hide_filter_leaves_out_a_post_by_its_image_description(new_user):
    alice, bob = new_user(), new_user()
    alice.api.account_follow(bob.id)
    alice.api.create_filter_v2("Spinnen", ["home"], "hide",
                               keywords_attributes=keyword("Spinne", whole_word=True))
    hidden = bob.api.status_post("Im Keller gefunden", media_ids=[png(bob, "Eine Spinne")])
    after_fan_out(bob, alice, hidden.id)


def test_a_blur_filter_keeps_the_status_and_says_blur(new_user):
    alice, bob = new_user(), new_user()
    alice.api.account_follow(bob.id)
    rule = alice.api.create_filter_v2("Unfälle", ["home", "public"], "blur",
                                      keywords_attributes=keyword("Unfall"))
    assert rule.filter_action == "blur"
    status = bob.api.status_post("Auf der B12", media_ids=[png(bob, "Ein Unfall")])
    [result] = in_home(alice, status.id)["filtered"]
    assert result["filter"]["filter_action"] == "blur"
    assert len(in_home(alice, status.id)["media_attachments"]) == 1
    public = alice.http.get("/api/v1/timelines/public", params={"limit": 40}).json()
    shown = next(s for s in public if s["id"] == status.id)
    assert shown["filtered"][0]["filter"]["filter_action"] == "blur"
    # Through the v1 API a blur filter is no irreversible (hiding) one.
    assert [f.irreversible for f in alice.api.filters()] == [False]


def test_the_user_stream_filters_by_poll_options_and_image_descriptions(new_user):
    alice, bob = new_user(), new_user()
    alice.api.account_follow(bob.id)
    listener = Listener()
    handle = alice.api.stream_user(listener, run_async=True)
    try:
        assert wait_until(lambda: handle.connection is not None)
        alice.api.create_filter_v2("Weg", ["home"], "hide",
                                   keywords_attributes=keyword("Baustelle"))
        alice.api.create_filter_v2("Achtung", ["home"], "warn",
                                   keywords_attributes=keyword("Streik"))
        assert wait_until(lambda: listener.filters_changed >= 2)
        hidden = bob.api.status_post("Heute", media_ids=[png(bob, "Baustelle am Tor")])
        warned = bob.api.status_post("Morgen?", poll=poll(bob, "Streik", "Arbeit"))
        sentinel = bob.api.status_post("Schönes Wochenende")
        assert wait_until(lambda: sentinel.id in [s.id for s in listener.updates])
        received = {s.id: s for s in listener.updates}
        assert hidden.id not in received
        assert received[warned.id].filtered[0].keyword_matches == ["Streik"]
        # The stream's status carries its poll, as the API's does.
        assert [o.title for o in received[warned.id].poll.options] == ["Streik", "Arbeit"]
    finally:
        close_in_background(handle)


def test_an_update_on_a_stream_carries_the_images_and_the_poll(server, new_user):
    alice, bob = new_user(), new_user()
    bob.api.account_follow(alice.id)
    streams = [SseStream(server.base_url, "/api/v1/streaming/user", bob.token, {}),
               SseStream(server.base_url, "/api/v1/streaming/public", None, {})]
    try:
        pictured = alice.api.status_post("Mit Bild", media_ids=[png(alice, "Plan")])
        voted = alice.api.status_post("Abstimmung", poll=poll(alice, "Ja", "Nein"))
        for stream in streams:
            shown = json.loads(stream.wait_for("update", lambda data: pictured.id in data))
            assert [m["description"] for m in shown["media_attachments"]] == ["Plan"]
            assert shown["media_attachments"][0]["url"].startswith("http")
            shown = json.loads(stream.wait_for("update", lambda data: voted.id in data))
            assert [o["title"] for o in shown["poll"]["options"]] == ["Ja", "Nein"]
            assert shown["poll"]["id"] == voted.poll.id
    finally:
        for stream in streams:
            stream.close()


# Search.

def test_search_finds_statuses_by_image_description_and_poll_option(new_user):
    alice, bob = new_user(), new_user()
    described, opted = word(), word()
    pictured = alice.api.status_post("Ein Bild", media_ids=[png(alice, f"Straße {described}")])
    voted = alice.api.status_post("Eine Frage", poll=poll(alice, f"Müller {opted}", "Nein"))
    assert found(bob, described) == [pictured.id]
    assert found(bob, opted) == [voted.id]
    # Folded as text is: without case or diacritics.
    assert found(bob, f"strasse {described}") == [pictured.id]
    assert found(bob, f"MULLER {opted}") == [voted.id]


def test_an_edit_changes_what_a_description_or_option_finds(new_user):
    alice, bob = new_user(), new_user()
    before, after, option_before, option_after = word(), word(), word(), word()
    media = png(alice, before)
    status = alice.api.status_post("Bild", media_ids=[media],
                                   poll=poll(alice, option_before, "Nein"))
    alice.api.status_update(status, "Bild", media_attributes=[
        alice.api.generate_media_edit_attributes(media["id"], description=after)],
        poll=poll(alice, option_after, "Nein"))
    assert found(bob, before) == [] and found(bob, option_before) == []
    assert found(bob, after) == [status.id] and found(bob, option_after) == [status.id]


def test_searching_by_description_or_option_keeps_to_whom_a_status_is_visible(new_user):
    alice, follower, stranger = new_user(), new_user(), new_user()
    follower.api.account_follow(alice.id)
    described, opted = word(), word()
    pictured = alice.api.status_post("Privat", visibility="private",
                                     media_ids=[png(alice, described)])
    voted = alice.api.status_post("Direkt", visibility="direct",
                                  poll=poll(alice, opted, "Nein"))
    assert found(follower, described) == [pictured.id]
    assert found(stranger, described) == []
    assert found(follower, opted) == [] and found(stranger, opted) == []
    assert found(alice, opted) == [voted.id]


# Edit history.

def test_the_history_shows_each_versions_images_and_poll_options(new_user):
    alice = new_user()
    first, second = png(alice, "erstes Bild"), png(alice, "zweites Bild")
    status = alice.api.status_post("Fassung 1", media_ids=[first],
                                   poll=poll(alice, "Ja", "Nein"))
    [unedited] = alice.api.status_history(status)
    assert [o.title for o in unedited.poll.options] == ["Ja", "Nein"]
    assert [m.description for m in unedited.media_attachments] == ["erstes Bild"]
    # As JSON: Mastodon.py cannot send media_ids and media_attributes together.
    alice.http.put(f"/api/v1/statuses/{status.id}", json={
        "status": "Fassung 2", "media_ids": [first["id"], second["id"]],
        "media_attributes": [{"id": first["id"], "description": "erstes, neu beschrieben"}],
        "poll": {"options": ["Ja", "Nein", "Vielleicht"], "expires_in": 3600},
    }).raise_for_status()
    history = alice.api.status_history(status)
    assert [[m.description for m in v.media_attachments] for v in history] == [
        ["erstes Bild"], ["erstes, neu beschrieben", "zweites Bild"]]
    assert [[o.title for o in v.poll.options] for v in history] == [
        ["Ja", "Nein"], ["Ja", "Nein", "Vielleicht"]]
    assert history[0].media_attachments[0].url.startswith("http")

    # Without a poll the poll goes; an image left out is deleted, from every version.
    alice.api.status_update(status, "Fassung 3", media_ids=[second["id"]])
    history = alice.api.status_history(status)
    assert ["Fassung 3" in v.content for v in history] == [False, False, True]
    assert [[m.id for m in v.media_attachments] for v in history] == [
        [], [second["id"]], [second["id"]]]
    assert [v.poll is None for v in history] == [False, False, True]
    assert wait_until(lambda: httpx.get(first["url"]).status_code == 404)


def test_the_history_of_a_status_one_may_not_see_is_404(new_user):
    alice, stranger = new_user(), new_user()
    status = alice.api.status_post("Nur Folgende", visibility="private",
                                   media_ids=[png(alice, "geheim")])
    alice.api.status_update(status, "Nur Folgende, bearbeitet")
    history = f"/api/v1/statuses/{status.id}/history"
    assert stranger.http.get(history).status_code == 404
    assert httpx.get(f"{alice.http.base_url}{history}").status_code == 404
    assert alice.http.get("/api/v1/statuses/not-an-id/history").status_code == 404
    assert len(alice.http.get(history).json()) == 2
