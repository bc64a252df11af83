"""Statuses over plain HTTP: rendered content, limits, idempotency, threads, who marked what."""

from __future__ import annotations

import secrets

from support import wait_until

DOCUMENTED_STATUS_KEYS = {
    "id", "uri", "created_at", "account", "content", "visibility", "sensitive", "spoiler_text",
    "media_attachments", "application", "mentions", "tags", "emojis", "reblogs_count",
    "favourites_count", "replies_count", "url", "in_reply_to_id", "in_reply_to_account_id",
    "reblog", "poll", "card", "language", "text", "edited_at", "quote", "favourited",
    "reblogged", "muted", "bookmarked", "pinned", "filtered"}
DOCUMENTED_ACCOUNT_KEYS = {
    "id", "username", "acct", "url", "display_name", "note", "avatar", "avatar_static",
    "header", "header_static", "locked", "fields", "emojis", "bot", "group", "discoverable",
    "created_at", "last_status_at", "statuses_count", "followers_count", "following_count"}


def post(user, text: str, **fields):
    return user.http.post("/api/v1/statuses", data={"status": text, **fields})


def test_status_entity_has_every_documented_field(new_user):
    alice = new_user()
    status = post(alice, "Vollständig?").json()
    assert DOCUMENTED_STATUS_KEYS <= set(status)
    assert DOCUMENTED_ACCOUNT_KEYS <= set(status["account"])
    assert isinstance(status["id"], str) and status["id"].isdigit()
    assert status["created_at"].endswith("Z")
    assert status["application"]["name"] == "zwitscher-tests"
    assert (status["reblog"], status["in_reply_to_id"], status["edited_at"]) == (None,) * 3


def test_status_url_and_uri_have_mastodons_shapes(server, new_user):
    alice = new_user()
    status = post(alice, "Wo wohne ich?").json()
    assert status["url"] == f"{server.base_url}/@{alice.username}/{status['id']}"
    assert status["uri"] == f"{server.base_url}/users/{alice.username}/statuses/{status['id']}"
    assert status["account"]["url"] == f"{server.base_url}/@{alice.username}"


def test_content_renders_mentions_hashtags_and_links_as_mastodon_does(server, new_user):
    alice, bob = new_user(), new_user()
    long_url = "https://example.org/ein/sehr/langer/pfad/der/gekuerzt/wird"
    text = (f"Hallo @{bob.username}, schau #Lagebild\n{long_url}\n\n"
            "<script>alert(1)</script> & mehr")
    status = post(alice, text).json()
    content = status["content"]
    base = server.base_url
    assert (f'<span class="h-card" translate="no"><a href="{base}/@{bob.username}" '
            f'class="u-url mention">@<span>{bob.username}</span></a></span>') in content
    assert (f'<a href="{base}/tags/lagebild" class="mention hashtag" rel="tag">'
            f'#<span>Lagebild</span></a>') in content
    assert f'<a href="{long_url}"' in content
    assert '<span class="invisible">https://</span>' in content
    # Mastodon shows the first 30 characters after the scheme and hides the rest.
    assert '<span class="ellipsis">example.org/ein/sehr/langer/pf</span>' in content
    assert '<span class="invisible">ad/der/gekuerzt/wird</span>' in content
    assert "<script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; mehr" in content
    assert content.startswith("<p>") and "<br />" in content and "</p><p>" in content
    assert status["mentions"] == [{"id": bob.id, "username": bob.username,
                                   "acct": bob.username, "url": f"{base}/@{bob.username}"}]
    assert status["tags"] == [{"name": "lagebild", "url": f"{base}/tags/lagebild"}]


def test_unknown_mention_stays_plain_text(new_user):
    status = post(new_user(), "Kennt jemand @niemand_bekannt_hier?").json()
    assert "@niemand_bekannt_hier" in status["content"]
    assert "h-card" not in status["content"]
    assert status["mentions"] == []


def test_character_limit_counts_every_link_as_23(new_user):
    alice = new_user()
    limit = alice.http.get("/api/v1/instance").json()["configuration"]["statuses"][
        "max_characters"]
    assert post(alice, "x" * limit).status_code == 200
    too_long = post(alice, "x" * (limit + 1))
    assert too_long.status_code == 422
    assert "character limit" in too_long.json()["error"].lower()
    url = "https://example.org/" + "p" * 200
    assert post(alice, f"{url} " + "y" * (limit - 24)).status_code == 200
    assert post(alice, f"{url} " + "y" * (limit - 23)).status_code == 422
    assert post(alice, "z" * (limit - 10), spoiler_text="s" * 11).status_code == 422


def test_blank_status_is_refused(new_user):
    response = post(new_user(), "   ")
    assert response.status_code == 422


def test_idempotency_key_returns_the_same_status_twice(new_user):
    alice = new_user()
    key = secrets.token_hex(8)
    first = alice.http.post("/api/v1/statuses", data={"status": "Nur einmal"},
                            headers={"Idempotency-Key": key})
    second = alice.http.post("/api/v1/statuses", data={"status": "Nur einmal"},
                             headers={"Idempotency-Key": key})
    assert first.status_code == second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    other = alice.http.post("/api/v1/statuses", data={"status": "Nur einmal"},
                            headers={"Idempotency-Key": secrets.token_hex(8)})
    assert other.json()["id"] != first.json()["id"]
    assert alice.http.get(f"/api/v1/accounts/{alice.id}").json()["statuses_count"] == 2


def test_idempotency_keys_belong_to_one_person(new_user):
    alice, bob = new_user(), new_user()
    key = secrets.token_hex(8)
    mine = alice.http.post("/api/v1/statuses", data={"status": "A"},
                           headers={"Idempotency-Key": key}).json()
    theirs = bob.http.post("/api/v1/statuses", data={"status": "B"},
                           headers={"Idempotency-Key": key}).json()
    assert theirs["id"] != mine["id"] and theirs["account"]["id"] == bob.id


def test_thread_context_lists_ancestors_and_depth_first_descendants(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    root = post(alice, "Wurzel").json()
    b = post(bob, "Antwort B", in_reply_to_id=root["id"]).json()
    c = post(alice, "Antwort C auf B", in_reply_to_id=b["id"]).json()
    d = post(carol, "Antwort D", in_reply_to_id=root["id"]).json()
    assert b["in_reply_to_account_id"] == alice.id
    of_root = carol.http.get(f"/api/v1/statuses/{root['id']}/context").json()
    assert of_root["ancestors"] == []
    assert [s["id"] for s in of_root["descendants"]] == [b["id"], c["id"], d["id"]]
    of_c = carol.http.get(f"/api/v1/statuses/{c['id']}/context").json()
    assert [s["id"] for s in of_c["ancestors"]] == [root["id"], b["id"]]
    assert of_c["descendants"] == []
    assert carol.http.get(f"/api/v1/statuses/{root['id']}").json()["replies_count"] == 2


def test_reply_to_a_missing_status_is_not_found(new_user):
    response = post(new_user(), "Ins Leere", in_reply_to_id="123456789")
    assert response.status_code == 404


def test_favourited_by_and_reblogged_by_list_accounts_newest_first(new_user):
    author = new_user()
    status = post(author, "Beliebt").json()
    fans = [new_user() for _ in range(3)]
    for fan in fans:
        fan.api.status_favourite(status["id"])
    fans[0].api.status_reblog(status["id"])
    first = author.http.get(f"/api/v1/statuses/{status['id']}/favourited_by?limit=2")
    assert [a["id"] for a in first.json()] == [fans[2].id, fans[1].id]
    rest = author.http.get(first.links["next"]["url"]).json()
    assert [a["id"] for a in rest] == [fans[0].id]
    reblogged_by = author.http.get(f"/api/v1/statuses/{status['id']}/reblogged_by").json()
    assert [a["id"] for a in reblogged_by] == [fans[0].id]
    counts = author.http.get(f"/api/v1/statuses/{status['id']}").json()
    assert (counts["favourites_count"], counts["reblogs_count"]) == (3, 1)


def test_favouriting_or_bookmarking_a_boost_marks_the_original(new_user):
    author, booster = new_user(), new_user()
    status = post(author, "Original").json()
    reblog = booster.http.post(f"/api/v1/statuses/{status['id']}/reblog").json()
    assert reblog["reblog"]["id"] == status["id"]
    assert reblog["reblog"]["reblogged"] is True
    assert reblog["account"]["id"] == booster.id
    favourited = booster.http.post(f"/api/v1/statuses/{reblog['id']}/favourite").json()
    assert favourited["id"] == status["id"] and favourited["favourited"] is True
    bookmarked = booster.http.post(f"/api/v1/statuses/{reblog['id']}/bookmark").json()
    assert bookmarked["id"] == status["id"] and bookmarked["bookmarked"] is True
    assert [s["id"] for s in booster.http.get("/api/v1/bookmarks").json()] == [status["id"]]
    booster.http.post(f"/api/v1/statuses/{reblog['id']}/unbookmark")
    assert booster.http.get("/api/v1/bookmarks").json() == []


def test_delete_returns_the_source_text_for_redraft(new_user):
    alice = new_user()
    status = post(alice, "Hallo #Welt, @niemand").json()
    response = alice.http.delete(f"/api/v1/statuses/{status['id']}")
    assert response.status_code == 200
    assert response.json()["text"] == "Hallo #Welt, @niemand"
    assert response.json()["id"] == status["id"]
    assert alice.http.get(f"/api/v1/statuses/{status['id']}").status_code == 404
    assert alice.http.get(f"/api/v1/accounts/{alice.id}").json()["statuses_count"] == 0


def test_nobody_else_can_delete_or_edit_a_status(new_user):
    alice, bob = new_user(), new_user()
    status = post(alice, "Meins").json()
    assert bob.http.delete(f"/api/v1/statuses/{status['id']}").status_code == 404
    assert bob.http.put(f"/api/v1/statuses/{status['id']}",
                        data={"status": "Jetzt meins"}).status_code == 404
    assert bob.http.get(f"/api/v1/statuses/{status['id']}/source").status_code == 404
    assert "Meins" in alice.http.get(f"/api/v1/statuses/{status['id']}").json()["content"]


def test_deleting_a_status_removes_it_from_followers_home(new_user):
    author, reader = new_user(), new_user()
    reader.api.account_follow(author.id)
    status = post(author, "Kurzlebig").json()

    def home() -> list[str]:
        return [s["id"] for s in reader.http.get("/api/v1/timelines/home").json()]

    assert wait_until(lambda: status["id"] in home())
    author.http.delete(f"/api/v1/statuses/{status['id']}")
    assert status["id"] not in home()


def test_a_post_with_media_is_refused_rather_than_posted_without_it(new_user):
    alice = new_user()
    with_media = alice.http.post("/api/v1/statuses", json={
        "status": "Das Foto vom Sommerfest", "media_ids": ["1"]})
    assert with_media.status_code == 422 and "error" in with_media.json()
    assert alice.http.get("/api/v1/accounts/verify_credentials").json()["statuses_count"] == 0


def test_editing_an_old_post_does_not_put_it_into_new_followers_home(new_user):
    author, newcomer = new_user(), new_user()
    old = post(author, "Alte Meldung").json()
    # Following backfills the newest 40 posts, so push the old one out of that window first.
    for n in range(40):
        post(author, f"Neuere Meldung {n}")
    newcomer.http.post(f"/api/v1/accounts/{author.id}/follow").raise_for_status()
    author.http.put(f"/api/v1/statuses/{old['id']}", data={"status": "Alte Meldung, korrigiert"})
    marker = post(author, "Danach").json()  # jobs run in order: once this arrived, the edit's ran

    def home_ids() -> list[str]:
        return [s["id"] for s in newcomer.http.get("/api/v1/timelines/home",
                                                   params={"limit": 40}).json()]

    assert wait_until(lambda: marker["id"] in home_ids())
    older = newcomer.http.get("/api/v1/timelines/home",
                              params={"limit": 40, "max_id": home_ids()[-1]}).json()
    assert old["id"] not in home_ids() + [s["id"] for s in older]
