"""Accounts over plain HTTP: sign-up, credentials, profile, lookup, search, the social graph."""

from __future__ import annotations

import secrets

import httpx

from support import PASSWORD, wait_until


def register(server, users, username: str, **extra) -> httpx.Response:
    return httpx.post(f"{server.base_url}/api/v1/accounts",
                      headers={"Authorization": f"Bearer {users.app_token()}"},
                      data={"username": username, "email": f"{username}@example.org",
                            "password": PASSWORD, "agreement": "true", **extra})


def walk(user, path: str, limit: int) -> list[str]:
    """Follow `Link: rel="next"` from the first page to the end; return every id seen."""
    ids: list[str] = []
    url = f"{path}?limit={limit}"
    while url:
        response = user.http.get(url)
        assert response.status_code == 200
        page = response.json()
        if not page:
            break
        assert len(page) <= limit
        ids += [item["id"] for item in page]
        url = response.links.get("next", {}).get("url")
    return ids


def test_sign_up_returns_a_token_for_the_new_account(server, users):
    username = f"neu_{secrets.token_hex(3)}"
    response = register(server, users, username)
    assert response.status_code == 200
    token = response.json()
    assert token["token_type"] == "Bearer"
    assert set(token["scope"].split()) <= {"read", "write", "follow", "push"}
    auth = {"Authorization": f"Bearer {token['access_token']}"}
    # As Mastodon: the token works once the address is confirmed (test_email_confirmation).
    waiting = httpx.get(f"{server.base_url}/api/v1/accounts/verify_credentials", headers=auth)
    assert waiting.status_code == 403
    assert waiting.json()["error"] == "Your login is missing a confirmed e-mail address"
    users.confirm(username)
    me = httpx.get(f"{server.base_url}/api/v1/accounts/verify_credentials",
                   headers=auth).json()
    assert me["username"] == username
    assert me["acct"] == username
    assert (me["followers_count"], me["following_count"], me["statuses_count"]) == (0, 0, 0)


def test_sign_up_refuses_a_taken_username_or_missing_agreement(server, users, new_user):
    taken = new_user().username
    again = register(server, users, taken.upper())
    assert again.status_code == 422
    assert "taken" in again.json()["error"]
    refused = register(server, users, f"neu_{secrets.token_hex(3)}", agreement="false")
    assert refused.status_code == 422


def test_sign_up_needs_an_app_token(server):
    response = httpx.post(f"{server.base_url}/api/v1/accounts", data={
        "username": "ohne_app", "email": "ohne_app@example.org", "password": PASSWORD,
        "agreement": "true"})
    assert response.status_code == 401


def test_verify_credentials_includes_source_and_role(new_user):
    alice = new_user()
    me = alice.http.get("/api/v1/accounts/verify_credentials").json()
    assert me["id"] == alice.id
    assert me["source"]["privacy"] in ("public", "unlisted", "private", "direct")
    assert me["source"]["note"] == ""
    assert me["source"]["fields"] == []
    assert me["source"]["follow_requests_count"] == 0
    assert me["role"]["name"]
    assert me["url"] == f"{alice.http.base_url}/@{alice.username}"


def test_update_credentials_changes_profile_and_source(new_user):
    alice = new_user()
    response = alice.http.patch("/api/v1/accounts/update_credentials", data={
        "display_name": "Alice im Lagezentrum",
        "note": "Ich mag #Brezeln\n\nund https://example.org",
        "bot": "true", "locked": "1",
        "fields_attributes[0][name]": "Web", "fields_attributes[0][value]": "https://example.org",
        "fields_attributes[1][name]": "Mood", "fields_attributes[1][value]": "<b>laut</b>"})
    assert response.status_code == 200
    me = response.json()
    assert (me["display_name"], me["bot"], me["locked"]) == ("Alice im Lagezentrum", True, True)
    assert me["source"]["note"] == "Ich mag #Brezeln\n\nund https://example.org"
    assert me["note"].startswith("<p>")
    assert f'href="{alice.http.base_url}/tags/brezeln"' in me["note"]
    assert [(f["name"], f["value"]) for f in me["source"]["fields"]] == [
        ("Web", "https://example.org"), ("Mood", "<b>laut</b>")]
    web, mood = me["fields"]
    assert web["name"] == "Web" and 'href="https://example.org"' in web["value"]
    assert "<b>" not in mood["value"] and "&lt;b&gt;laut" in mood["value"]
    public = alice.http.get(f"/api/v1/accounts/{alice.id}").json()
    assert public["display_name"] == "Alice im Lagezentrum"
    assert "source" not in public
    assert [f["name"] for f in public["fields"]] == ["Web", "Mood"]


def test_update_credentials_accepts_json_and_limits_fields(new_user):
    alice = new_user()
    response = alice.http.patch("/api/v1/accounts/update_credentials", json={
        "fields_attributes": [{"name": "Pronomen", "value": "sie/ihr"}]})
    assert response.status_code == 200
    assert response.json()["source"]["fields"][0]["value"] == "sie/ihr"
    too_many = {f"fields_attributes[{i}][name]": f"n{i}" for i in range(5)}
    assert alice.http.patch("/api/v1/accounts/update_credentials",
                            data=too_many).status_code == 422
    too_long = alice.http.patch("/api/v1/accounts/update_credentials",
                                data={"display_name": "x" * 31})
    assert too_long.status_code == 422


def test_lookup_finds_local_accounts_by_acct(new_user):
    alice, bob = new_user(), new_user()
    host = bob.http.base_url.host + f":{bob.http.base_url.port}"
    for acct in (alice.username, f"@{alice.username}", f"{alice.username}@{host}"):
        response = bob.http.get("/api/v1/accounts/lookup", params={"acct": acct})
        assert response.status_code == 200, acct
        assert response.json()["id"] == alice.id
    assert bob.http.get("/api/v1/accounts/lookup",
                        params={"acct": f"{alice.username}@elsewhere.example"}
                        ).status_code == 404
    assert bob.http.get("/api/v1/accounts/lookup",
                        params={"acct": "niemand_hier"}).status_code == 404


def test_search_matches_username_prefix_and_display_name(new_user):
    marker = secrets.token_hex(3)
    alice = new_user(f"such_{marker}", display_name=f"Suchbild {marker}")
    bob = new_user()
    by_prefix = bob.http.get("/api/v1/accounts/search", params={"q": f"such_{marker[:4]}"})
    assert [a["id"] for a in by_prefix.json()] == [alice.id]
    by_name = bob.http.get("/api/v1/accounts/search", params={"q": f"suchbild {marker}"})
    assert [a["id"] for a in by_name.json()] == [alice.id]
    assert bob.http.get("/api/v1/accounts/search", params={"q": "   "}).json() == []


def test_followers_and_following_page_with_link_headers(new_user):
    star = new_user()
    fans = [new_user() for _ in range(5)]
    for fan in fans:
        fan.api.account_follow(star.id)
    followers = walk(star, f"/api/v1/accounts/{star.id}/followers", limit=2)
    assert followers == [fan.id for fan in reversed(fans)]  # newest follow first
    assert walk(star, f"/api/v1/accounts/{fans[0].id}/following", limit=2) == [star.id]
    first = star.http.get(f"/api/v1/accounts/{star.id}/followers?limit=2")
    assert 'rel="prev"' in first.headers["link"]
    assert star.http.get(f"/api/v1/accounts/{star.id}").json()["followers_count"] == 5


def test_relationships_for_several_ids_keep_the_order_asked(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    alice.api.account_follow(bob.id)
    carol.api.account_follow(alice.id)
    alice.api.account_block(new_user().id)
    response = alice.http.get("/api/v1/accounts/relationships",
                              params=[("id[]", carol.id), ("id[]", bob.id)])
    assert response.status_code == 200
    first, second = response.json()
    assert (first["id"], first["following"], first["followed_by"]) == (carol.id, False, True)
    assert (second["id"], second["following"], second["followed_by"]) == (bob.id, True, False)
    assert set(first) >= {"showing_reblogs", "notifying", "blocking", "blocked_by", "muting",
                          "muting_notifications", "requested", "requested_by",
                          "domain_blocking", "endorsed", "note"}


def test_relationships_skip_ids_of_no_account(new_user):
    alice, bob = new_user(), new_user()
    response = alice.http.get("/api/v1/accounts/relationships",
                              params=[("id[]", "12345"), ("id[]", bob.id)])
    assert [r["id"] for r in response.json()] == [bob.id]


def test_follow_with_notify_sends_a_status_notification(new_user):
    author, fan = new_user(), new_user()
    relationship = fan.http.post(f"/api/v1/accounts/{author.id}/follow",
                                 data={"notify": "true"}).json()
    assert (relationship["following"], relationship["notifying"]) == (True, True)
    posted = author.api.status_post("Neuigkeiten")

    def status_notifications():
        found = fan.http.get("/api/v1/notifications", params={"types[]": "status"}).json()
        return [n for n in found if n["status"]["id"] == posted.id]

    found = wait_until(status_notifications)
    assert len(found) == 1 and found[0]["account"]["id"] == author.id


def test_follow_with_reblogs_false_keeps_boosts_out_of_home(new_user):
    booster, reader, original_author = new_user(), new_user(), new_user()
    relationship = reader.http.post(f"/api/v1/accounts/{booster.id}/follow",
                                    json={"reblogs": False}).json()
    assert relationship["showing_reblogs"] is False
    boosted = original_author.api.status_post("Bitte teilen")
    reblog = booster.api.status_reblog(boosted)
    own = booster.api.status_post("Eigener Beitrag")

    def home() -> list[str]:
        return [s["id"] for s in reader.http.get("/api/v1/timelines/home").json()]

    assert wait_until(lambda: own.id in home())
    assert reblog.id not in home()
    # Following again changes the option without a new follow.
    again = reader.http.post(f"/api/v1/accounts/{booster.id}/follow", data={"reblogs": "true"})
    assert again.json()["showing_reblogs"] is True
    later = booster.api.status_reblog(original_author.api.status_post("Noch einmal"))
    assert wait_until(lambda: later.id in home())
    assert booster.http.get(f"/api/v1/accounts/{booster.id}").json()["followers_count"] == 1


def test_following_again_changes_only_the_options_sent(new_user):
    author, fan = new_user(), new_user()
    fan.http.post(f"/api/v1/accounts/{author.id}/follow", data={"reblogs": "false"})
    bell = fan.http.post(f"/api/v1/accounts/{author.id}/follow", json={"notify": True}).json()
    assert (bell["following"], bell["notifying"], bell["showing_reblogs"]) == (True, True, False)
    plain = fan.http.post(f"/api/v1/accounts/{author.id}/follow").json()
    assert (plain["notifying"], plain["showing_reblogs"]) == (True, False)
    assert author.http.get(f"/api/v1/accounts/{author.id}").json()["followers_count"] == 1
