"""The rest of Mastodon's account API: `/health`, private notes in the Relationship, familiar
followers, removing a follower, hidden networks (`hide_collections`), posts kept out of others'
search (`indexable`), `discoverable` in trends, and `exclude_direct` on an account's statuses.
"""

from __future__ import annotations

import httpx

from support import after_fan_out, found, in_home, word
from web_support import WebClient


def relationship(user, other) -> dict:
    return user.api.account_relationships(other.id)[0]


def ids(accounts) -> list[str]:
    return [account["id"] for account in accounts]


# -- health -----------------------------------------------------------------------------------

def test_health_answers_ok_in_plain_text_to_anyone(server):
    response = httpx.get(f"{server.base_url}/health")
    assert response.status_code == 200
    assert response.text == "OK"
    assert response.headers["content-type"].startswith("text/plain")
    assert "x-ratelimit-remaining" not in response.headers  # monitors poll it freely


# -- private notes ----------------------------------------------------------------------------

def test_a_note_is_shown_only_to_its_writer_and_a_blank_one_removes_it(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    written = alice.api.account_note_set(bob.id, "Met at the summer party; ask about bees")
    assert written["id"] == bob.id
    assert written["note"] == "Met at the summer party; ask about bees"
    both = alice.http.get("/api/v1/accounts/relationships",
                          params=[("id[]", bob.id), ("id[]", carol.id)]).json()
    assert [(r["id"], r["note"]) for r in both] == [
        (bob.id, "Met at the summer party; ask about bees"), (carol.id, "")]
    assert relationship(carol, bob)["note"] == ""  # nobody else reads it
    assert relationship(bob, alice)["note"] == ""  # not even the person it is about
    assert alice.api.account_note_set(bob.id, "Beekeeper")["note"] == "Beekeeper"
    assert relationship(alice, bob)["note"] == "Beekeeper"
    assert alice.api.account_note_set(bob.id, "  \n ")["note"] == ""
    alice.api.account_note_set(bob.id, "again")
    cleared = alice.http.post(f"/api/v1/accounts/{bob.id}/note")  # no comment at all
    assert cleared.status_code == 200 and cleared.json()["note"] == ""
    assert relationship(alice, bob)["note"] == ""


def test_a_note_is_at_most_2000_characters_and_bad_input_changes_nothing(new_user):
    alice, bob = new_user(), new_user()
    assert alice.api.account_note_set(bob.id, "ü" * 2000)["note"] == "ü" * 2000
    too_long = alice.http.post(f"/api/v1/accounts/{bob.id}/note", data={"comment": "x" * 2001})
    assert too_long.status_code == 422
    assert "2000" in too_long.json()["error"]
    not_text = alice.http.post(f"/api/v1/accounts/{bob.id}/note", json={"comment": {"a": 1}})
    assert not_text.status_code == 422 and "error" in not_text.json()
    assert relationship(alice, bob)["note"] == "ü" * 2000
    for unknown in ("999999999999", "abc"):
        missing = alice.http.post(f"/api/v1/accounts/{unknown}/note", data={"comment": "x"})
        assert missing.status_code == 404
    anonymous = httpx.post(f"{alice.http.base_url}/api/v1/accounts/{bob.id}/note",
                           data={"comment": "x"})
    assert anonymous.status_code == 401


# -- familiar followers -----------------------------------------------------------------------

def test_familiar_followers_are_the_followers_you_follow_unless_networks_are_hidden(new_user):
    alice, bob, carol, dave, erin, frank = (new_user() for _ in range(6))
    for followed in (bob, carol):
        alice.api.account_follow(followed.id)
    for follower in (bob, carol, frank):
        follower.api.account_follow(dave.id)
    frank.api.account_follow(erin.id)
    answer = alice.api.account_familiar_followers([dave.id, erin.id, "999999999999"])
    assert [entry["id"] for entry in answer] == [dave.id, erin.id]  # unknown ids left out
    assert sorted(ids(answer[0]["accounts"])) == sorted([bob.id, carol.id])
    assert answer[0]["accounts"][0]["username"] in (bob.username, carol.username)
    assert answer[1]["accounts"] == []
    # A follower who hides their own network is left out; a hidden network shows nobody.
    carol.api.account_update_credentials(hide_collections=True)
    assert ids(alice.api.account_familiar_followers(dave.id)[0]["accounts"]) == [bob.id]
    dave.api.account_update_credentials(hide_collections=True)
    assert alice.api.account_familiar_followers(dave.id)[0]["accounts"] == []
    dave.api.account_update_credentials(hide_collections=False)
    dave.api.account_block(alice.id)  # as its followers list: nothing for someone blocked
    assert alice.api.account_familiar_followers(dave.id)[0]["accounts"] == []
    plain = alice.http.get("/api/v1/accounts/familiar_followers", params={"id": erin.id})
    assert plain.json() == [{"id": erin.id, "accounts": []}]


# -- removing a follower ----------------------------------------------------------------------

def test_removing_a_follower_ends_their_follow_and_their_followers_only_reading(new_user):
    alice, bob, carol = new_user(), new_user(), new_user()
    bob.api.account_follow(alice.id)
    bob.api.account_follow(carol.id)
    before = alice.api.status_post("Nur für meine Follower", visibility="private")
    assert in_home(bob, before.id)

    removed = alice.api.account_remove_from_followers(bob.id)
    assert removed["id"] == bob.id and removed["followed_by"] is False
    assert relationship(bob, alice)["following"] is False
    assert alice.api.account(alice.id)["followers_count"] == 0
    assert bob.api.account(bob.id)["following_count"] == 1
    assert alice.api.account_followers(alice.id) == []
    later = alice.api.status_post("Wieder nur für Follower", visibility="private")
    after_fan_out(carol, bob, later.id)
    assert before.id not in [s["id"] for s in bob.http.get("/api/v1/timelines/home").json()]
    assert bob.http.get(f"/api/v1/statuses/{later.id}").status_code == 404
    # Removing someone who does not follow (any longer) changes nothing.
    again = alice.http.post(f"/api/v1/accounts/{bob.id}/remove_from_followers")
    assert again.status_code == 200 and again.json()["followed_by"] is False
    assert alice.api.account(alice.id)["followers_count"] == 0
    assert alice.http.post("/api/v1/accounts/999999999999/remove_from_followers"
                           ).status_code == 404


# -- hide_collections, indexable, discoverable --------------------------------------------------

def test_the_three_choices_are_stored_and_shown_in_account_and_source(new_user):
    alice, bob = new_user(), new_user()
    default = alice.api.account_verify_credentials()
    assert (default["hide_collections"], default["indexable"], default["discoverable"]) == (
        False, True, True)
    changed = alice.api.account_update_credentials(hide_collections=True, indexable=False,
                                                   discoverable=False)
    for entity in (changed, changed["source"], alice.api.account_verify_credentials()["source"],
                   bob.api.account(alice.id)):
        assert (entity["hide_collections"], entity["indexable"], entity["discoverable"]) == (
            True, False, False)
    statuses = alice.api.status_post("Mit Konto")
    assert bob.api.status(statuses.id)["account"]["hide_collections"] is True
    alice.http.patch("/api/v1/accounts/update_credentials",
                     data={"indexable": "true"}).raise_for_status()
    shown = bob.api.account(alice.id)
    assert (shown["hide_collections"], shown["indexable"]) == (True, True)


def test_a_hidden_network_is_empty_to_others_and_whole_to_its_owner(new_user, server):
    alice, bob, carol, mallory = new_user(), new_user(), new_user(), new_user()
    bob.api.account_follow(alice.id)
    alice.api.account_follow(carol.id)
    alice.api.account_update_credentials(hide_collections=True)
    assert ids(alice.api.account_followers(alice.id)) == [bob.id]
    assert ids(alice.api.account_following(alice.id)) == [carol.id]
    for path in ("followers", "following"):
        assert mallory.http.get(f"/api/v1/accounts/{alice.id}/{path}").json() == []
        assert httpx.get(f"{server.base_url}/api/v1/accounts/{alice.id}/{path}").json() == []
    shown = mallory.api.account(alice.id)  # the counts stay, as in Mastodon
    assert (shown["followers_count"], shown["following_count"]) == (1, 1)
    alice.api.account_update_credentials(hide_collections=False)
    assert ids(mallory.api.account_followers(alice.id)) == [bob.id]


def test_networks_leave_out_whom_the_reader_hides_and_hide_from_the_blocked(new_user):
    alice, bob, carol, reader = new_user(), new_user(), new_user(), new_user()
    for follower in (bob, carol):
        follower.api.account_follow(alice.id)
    reader.api.account_mute(bob.id)
    assert ids(reader.api.account_followers(alice.id)) == [carol.id]
    assert sorted(ids(alice.api.account_followers(alice.id))) == sorted([bob.id, carol.id])
    alice.api.account_block(reader.id)
    assert reader.api.account_followers(alice.id) == []
    assert reader.api.account_following(alice.id) == []


def test_web_lists_of_a_hidden_network_say_so_and_the_owner_still_sees_them(web, new_user,
                                                                            server):
    alice, bob = new_user(), new_user()
    bob.api.account_follow(alice.id)
    alice.api.account_update_credentials(hide_collections=True)
    visitor = WebClient(server.base_url)
    page = visitor.get(f"/@{alice.username}/followers")
    visitor.close()
    assert page.status_code == 200
    assert "does not show whom they follow and who follows them" in page.text
    assert f"/@{bob.username}\"" not in page.text
    web.sign_in(alice.username)
    own = web.get(f"/@{alice.username}/followers").text
    assert f'href="/@{bob.username}"' in own
    assert "Only you see these lists" in own


def test_the_web_profile_settings_save_the_network_and_search_choices(web, new_user):
    alice = new_user()
    web.sign_in(alice.username)
    form = web.get("/web/settings").text
    assert 'name="hide_collections"' in form
    assert 'id="indexable" name="indexable" checked' in form
    saved = web.submit("/web/settings", "/web/settings", {
        "display_name": "Alice", "note": "", "language": "de", "visibility": "public",
        "discoverable": "on", "hide_collections": "on"}).text
    me = alice.api.account_verify_credentials()
    assert (me["hide_collections"], me["indexable"], me["discoverable"]) == (True, False, True)
    assert 'id="hide_collections" name="hide_collections" checked' in saved
    assert 'id="indexable" name="indexable" aria' in saved
    assert "Verbergen, wem ich folge und wer mir folgt" in saved


def test_posts_of_an_account_that_is_not_indexable_are_found_only_by_those_involved(new_user):
    author, stranger, fan, mentioned, follower = (new_user() for _ in range(5))
    follower.api.account_follow(author.id)
    marker = word()
    author.api.account_update_credentials(indexable=False)
    public = author.api.status_post(f"Öffentlich {marker} @{mentioned.username}")
    private = author.api.status_post(f"Für Follower {marker}", visibility="private")
    fan.api.status_favourite(public.id)
    assert found(author, marker) == [private.id, public.id]
    assert found(stranger, marker) == []
    assert found(follower, marker) == []  # as Mastodon: following is no involvement
    assert found(fan, marker) == [public.id]
    assert found(mentioned, marker) == [public.id]
    follower.api.status_bookmark(private.id)
    assert found(follower, marker) == [private.id]
    author.api.account_update_credentials(indexable=True)
    assert found(stranger, marker) == [public.id]
    assert found(follower, marker) == [private.id, public.id]


def test_statuses_of_accounts_that_are_not_discoverable_do_not_trend(new_user):
    shy, open_, fan, other = (new_user() for _ in range(4))
    shy.api.account_update_credentials(discoverable=False)
    statuses = [shy.api.status_post("Leise, aber beliebt"),
                open_.api.status_post("Laut und beliebt")]
    for status in statuses:
        for person in (fan, other):
            person.api.status_favourite(status.id)
            person.api.status_reblog(status.id)
    trending = ids(fan.api.trending_statuses(limit=40))
    assert statuses[1].id in trending and statuses[0].id not in trending


# -- exclude_direct ---------------------------------------------------------------------------

def test_exclude_direct_leaves_direct_statuses_out_of_an_account_timeline(new_user):
    alice, bob = new_user(), new_user()
    direct = alice.api.status_post(f"@{bob.username} unter uns", visibility="direct")
    public = alice.api.status_post("Für alle")
    for reader in (alice, bob):  # the author and the one mentioned see both
        assert ids(reader.api.account_statuses(alice.id)) == [public.id, direct.id]
        assert ids(reader.api.account_statuses(alice.id, exclude_direct=True)) == [public.id]
    response = bob.http.get(f"/api/v1/accounts/{alice.id}/statuses",
                            params={"exclude_direct": "1", "exclude_replies": "true"})
    assert ids(response.json()) == [public.id]
