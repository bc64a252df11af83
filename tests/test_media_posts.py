"""Images in posts and profiles: attaching, editing and deleting them, who sees them where,
and avatars and headers."""

from __future__ import annotations

import secrets

import httpx
import pytest
from mastodon import MastodonAPIError

from media_support import fetch_image, image_bytes, jpeg_with_gps, stored_files
from streams import SseStream
from support import wait_until


@pytest.fixture(scope="module", autouse=True)
def no_tracebacks_in_server_log(server):
    start = len(server.log_text())
    yield
    assert "Traceback" not in server.log_text()[start:]


def png(user, description: str | None = None):
    return user.api.media_post(image_bytes("PNG", (800, 600)), mime_type="image/png",
                               description=description)


def statuses_count(user) -> int:
    return user.http.get("/api/v1/accounts/verify_credentials").json()["statuses_count"]


def test_a_post_carries_its_images_in_order_and_may_have_no_text(new_user):
    alice = new_user()
    first, second = png(alice, "erstes"), png(alice, "zweites")
    status = alice.api.status_post("", media_ids=[second, first])
    attachments = status["media_attachments"]
    assert [a["id"] for a in attachments] == [second["id"], first["id"]]
    assert [a["description"] for a in attachments] == ["zweites", "erstes"]
    for attachment in attachments:
        assert attachment["type"] == "image" and attachment["blurhash"]
        assert attachment["meta"]["original"]["size"] == "800x600"
        assert attachment["meta"]["small"]["size"] == "640x480"
        assert fetch_image(attachment["url"])[1].size == (800, 600)
        assert fetch_image(attachment["preview_url"])[1].size == (640, 480)
    again = alice.api.status(status)
    assert [a["id"] for a in again["media_attachments"]] == [second["id"], first["id"]]
    # Posted: the upload is no longer an upload to change on its own.
    assert alice.http.get(f"/api/v1/media/{first['id']}").status_code == 404
    assert alice.http.delete(f"/api/v1/media/{first['id']}").status_code == 422


def test_followers_see_the_images_in_their_home_timeline(new_user):
    alice, bob = new_user(), new_user()
    bob.api.account_follow(alice.id)
    status = alice.api.status_post("Schaut mal", media_ids=[png(alice)])
    home = wait_until(lambda: [s for s in bob.api.timeline_home() if s["id"] == status["id"]])
    assert len(home[0]["media_attachments"]) == 1


def test_someone_elses_upload_cannot_be_posted(new_user):
    alice, mallory = new_user(), new_user()
    theirs = png(alice)
    before = statuses_count(mallory)
    response = mallory.http.post("/api/v1/statuses", json={"status": "Geklaut",
                                                           "media_ids": [theirs["id"]]})
    assert response.status_code == 422, response.text
    assert theirs["id"] in response.json()["error"]
    assert statuses_count(mallory) == before
    # Nor one already posted, nor one that does not exist, nor more than four.
    mine = png(mallory)
    posted = mallory.api.status_post("Einmal", media_ids=[mine])
    for media_ids in ([mine["id"]], ["12345"], ["x"], [png(mallory)["id"] for _ in range(5)]):
        response = mallory.http.post("/api/v1/statuses", json={"status": "Nochmal",
                                                               "media_ids": media_ids})
        assert response.status_code == 422, (media_ids, response.text)
    assert statuses_count(mallory) == before + 1
    assert len(mallory.api.status(posted)["media_attachments"]) == 1


def test_only_media_shows_posts_with_images_on_profiles_and_timelines(new_user):
    alice = new_user()
    tag = f"bild{secrets.token_hex(4)}"
    plain = alice.api.status_post(f"Nur Text #{tag}")
    pictured = alice.api.status_post(f"Mit Bild #{tag}", media_ids=[png(alice)])
    mine = alice.http.get(f"/api/v1/accounts/{alice.id}/statuses",
                          params={"only_media": "true"}).json()
    assert [s["id"] for s in mine] == [pictured["id"]]
    everything = alice.http.get(f"/api/v1/accounts/{alice.id}/statuses").json()
    assert {plain["id"], pictured["id"]} <= {s["id"] for s in everything}
    tagged = alice.http.get(f"/api/v1/timelines/tag/{tag}", params={"only_media": "true"})
    assert [s["id"] for s in tagged.json()] == [pictured["id"]]
    assert len(alice.http.get(f"/api/v1/timelines/tag/{tag}").json()) == 2
    public = alice.http.get("/api/v1/timelines/public",
                            params={"only_media": "true", "limit": 40}).json()
    assert pictured["id"] in {s["id"] for s in public}
    assert plain["id"] not in {s["id"] for s in public}
    assert all(s["media_attachments"] for s in public)


def test_the_media_streams_carry_public_posts_with_images_only(server, new_user):
    alice = new_user()
    streams = [SseStream(server.base_url, "/api/v1/streaming/public", None,
                         {"only_media": "true"}),
               SseStream(server.base_url, "/api/v1/streaming/public/local", alice.token,
                         {"only_media": "true"})]
    try:
        plain = alice.api.status_post("Nur Text")
        private = alice.api.status_post("Privat mit Bild", visibility="private",
                                        media_ids=[png(alice)])
        pictured = alice.api.status_post("Mit Bild", media_ids=[png(alice)])
        for stream in streams:
            stream.wait_for("update", lambda data: pictured["id"] in data)
            assert plain["id"] not in stream.status_ids()
            assert private["id"] not in stream.status_ids()
        alice.api.status_delete(pictured)
        for stream in streams:
            stream.wait_for("delete", lambda data: data == pictured["id"])
    finally:
        for stream in streams:
            stream.close()


def test_a_private_posts_images_stay_with_its_audience(new_user):
    alice, follower, stranger = new_user(), new_user(), new_user()
    follower.api.account_follow(alice.id)
    status = alice.api.status_post("Nur für euch", visibility="private",
                                   media_ids=[png(alice)])
    assert len(follower.api.status(status)["media_attachments"]) == 1
    assert stranger.http.get(f"/api/v1/statuses/{status['id']}").status_code == 404
    assert httpx.get(f"{alice.http.base_url}/api/v1/statuses/{status['id']}").status_code == 404
    for viewer in (stranger.http, httpx.Client(base_url=str(alice.http.base_url))):
        listed = viewer.get(f"/api/v1/accounts/{alice.id}/statuses",
                            params={"only_media": "true"}).json()
        assert listed == []
    listed = follower.http.get(f"/api/v1/accounts/{alice.id}/statuses",
                               params={"only_media": "true"}).json()
    assert [s["id"] for s in listed] == [status["id"]]
    public = stranger.http.get("/api/v1/timelines/public",
                               params={"only_media": "true", "limit": 40}).json()
    assert status["id"] not in {s["id"] for s in public}
    # The attachment itself is the author's alone until posted, and nobody's to fetch by id.
    attachment_id = status["media_attachments"][0]["id"]
    assert stranger.http.get(f"/api/v1/media/{attachment_id}").status_code == 404


def test_an_edit_replaces_the_images_and_changes_their_descriptions(new_user):
    alice = new_user()
    kept, dropped, added = png(alice, "bleibt"), png(alice, "geht"), png(alice, "neu")
    status = alice.api.status_post("Vorher", media_ids=[kept, dropped])
    dropped_url = status["media_attachments"][1]["url"]
    edited = alice.http.put(f"/api/v1/statuses/{status['id']}", json={
        "status": "Nachher", "media_ids": [added["id"], kept["id"]],
        "media_attributes": [{"id": kept["id"], "description": "bleibt, neu beschrieben",
                              "focus": "0.5,0.5"}]})
    assert edited.status_code == 200, edited.text
    attachments = edited.json()["media_attachments"]
    assert [a["id"] for a in attachments] == [added["id"], kept["id"]]
    assert attachments[1]["description"] == "bleibt, neu beschrieben"
    assert attachments[1]["meta"]["focus"] == {"x": 0.5, "y": 0.5}
    assert wait_until(lambda: httpx.get(dropped_url).status_code == 404)
    # Mastodon.py's way: media_attributes alone keep the set and change a description.
    again = alice.api.status_update(status, "Nochmal", media_attributes=[
        alice.api.generate_media_edit_attributes(added["id"], description="neu, beschrieben")])
    assert [a["description"] for a in again["media_attachments"]] == ["neu, beschrieben"]
    # Form data as Rails reads it: media_attributes[][id] and friends.
    formed = alice.http.put(f"/api/v1/statuses/{status['id']}", data={
        "status": "Per Formular", "media_ids[]": [added["id"]],
        "media_attributes[][id]": added["id"],
        "media_attributes[][description]": "per Formular"})
    assert formed.status_code == 200, formed.text
    assert formed.json()["media_attachments"][0]["description"] == "per Formular"


def test_an_edit_without_media_ids_keeps_the_images(new_user):
    alice = new_user()
    status = alice.api.status_post("", media_ids=[png(alice)])
    edited = alice.api.status_update(status, "Jetzt mit Text")
    assert len(edited["media_attachments"]) == 1
    emptied = alice.http.put(f"/api/v1/statuses/{status['id']}", json={"status": "",
                                                                       "media_ids": []})
    assert emptied.status_code == 422  # neither text nor images
    assert len(alice.api.status(status)["media_attachments"]) == 1


def test_bad_edits_of_images_are_422_and_change_nothing(new_user):
    alice, mallory = new_user(), new_user()
    status = alice.api.status_post("Bild", media_ids=[png(alice, "so")])
    theirs = png(mallory)
    for body in ({"media_ids": [theirs["id"]]},
                 {"media_attributes": [{"id": theirs["id"], "description": "x"}]},
                 {"media_attributes": [{"id": status["media_attachments"][0]["id"],
                                        "focus": "9,9"}]},
                 {"media_attributes": [{"id": status["media_attachments"][0]["id"],
                                        "description": "x" * 1501}]},
                 {"media_attributes": [{"description": "no id"}]}):
        response = alice.http.put(f"/api/v1/statuses/{status['id']}",
                                  json={"status": "Geändert", **body})
        assert response.status_code == 422, (body, response.text)
    unchanged = alice.api.status(status)
    assert unchanged["edited_at"] is None
    assert unchanged["media_attachments"][0]["description"] == "so"
    assert mallory.api.media(theirs)["id"] == theirs["id"]


def test_deleting_a_post_deletes_its_image_files(server, new_user):
    alice = new_user()
    status = alice.api.status_post("Weg damit", media_ids=[png(alice)])
    urls = [status["media_attachments"][0][k] for k in ("url", "preview_url")]
    assert all(httpx.get(url).status_code == 200 for url in urls)
    alice.api.status_delete(status)
    assert wait_until(lambda: all(httpx.get(url).status_code == 404 for url in urls))


def test_an_avatar_and_header_show_up_on_the_profile(new_user):
    alice = new_user()
    alice.api.account_update_credentials(avatar=jpeg_with_gps(), avatar_mime_type="image/jpeg",
                                         header=image_bytes("PNG", (3000, 1500)),
                                         header_mime_type="image/png")
    me = alice.api.account_verify_credentials()
    assert "missing" not in me["avatar"] and me["avatar_static"] == me["avatar"]
    assert "missing" not in me["header"] and me["header_static"] == me["header"]
    response, avatar = fetch_image(me["avatar"])
    assert avatar.size == (200, 200)  # cropped square, never scaled up
    assert dict(avatar.getexif()) == {} and b"Spycam" not in response.content
    assert fetch_image(me["header"])[1].size == (1500, 500)
    assert alice.api.account(alice.id)["avatar"] == me["avatar"]
    status = alice.api.status_post("Mit Gesicht")
    assert status["account"]["avatar"] == me["avatar"]


def test_a_new_avatar_replaces_the_old_one_and_it_can_be_removed(new_user):
    alice = new_user()
    alice.api.account_update_credentials(avatar=image_bytes("PNG"), avatar_mime_type="image/png")
    old = alice.api.account_verify_credentials()["avatar"]
    alice.api.account_update_credentials(avatar=image_bytes("WEBP"),
                                         avatar_mime_type="image/webp")
    new = alice.api.account_verify_credentials()["avatar"]
    assert new != old and new.endswith(".webp")
    assert wait_until(lambda: httpx.get(old).status_code == 404)
    removed = alice.http.delete("/api/v1/profile/avatar")
    assert removed.status_code == 200
    assert removed.json()["avatar"].endswith("/avatars/original/missing.png")
    assert wait_until(lambda: httpx.get(new).status_code == 404)
    header = alice.http.delete("/api/v1/profile/header")
    assert header.json()["header"].endswith("/headers/original/missing.png")


def test_a_profile_update_with_a_bad_image_changes_nothing(server, new_user):
    alice = new_user()
    before = stored_files(server)
    response = alice.http.patch("/api/v1/accounts/update_credentials", data={
        "display_name": "Neuer Name"}, files={"avatar": ("a.png", b"not a picture", "image/png")})
    assert response.status_code == 422, response.text
    me = alice.api.account_verify_credentials()
    assert me["display_name"] != "Neuer Name" and me["avatar"].endswith("missing.png")
    assert stored_files(server) == before
    with pytest.raises(MastodonAPIError):
        alice.api.account_update_credentials(header=b"GIF89a...", header_mime_type="image/gif")
