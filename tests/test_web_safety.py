"""Mute, block and report from a profile and from a status card, without JavaScript (httpx):
each goes through its page first, then changes what the API reports; a report reaches the
moderators' console; reporting oneself, forged forms and bad input change nothing."""

from __future__ import annotations

import re

import httpx
import pytest

from web_support import WebClient

pytestmark = pytest.mark.usefixtures("quiet_server_log")


def _relationship(user, other) -> dict:
    return user.api.account_relationships(other.id)[0]


def _page_of(status: dict) -> str:
    return httpx.URL(status["url"]).path


def test_the_card_menu_offers_mute_block_and_report_on_others_posts_only(new_user, browser_of):
    alice, bob = new_user(), new_user()
    theirs = alice.api.status_post("Something to report", visibility="public")
    mine = bob.api.status_post("My own post", visibility="public")
    web = browser_of(bob)
    page = web.get(_page_of(theirs)).text
    assert f'href="/web/accounts/{alice.id}/mute?back=' in page
    assert f'href="/web/accounts/{alice.id}/block?back=' in page
    assert f'href="/web/reports/new?account_id={alice.id}&amp;status_id={theirs["id"]}' in page
    own_page = web.get(_page_of(mine)).text
    assert f"/web/accounts/{bob.id}/mute" not in own_page
    assert "/web/reports/new" not in own_page


def test_muting_asks_first_then_hides_them_for_the_chosen_time(new_user, browser_of):
    alice, bob = new_user(display_name="Alice Muted"), new_user()
    web = browser_of(bob)
    profile = web.get(f"/@{alice.username}").text
    assert f'<a href="/web/accounts/{alice.id}/mute">' in profile
    confirm = web.get(f"/web/accounts/{alice.id}/mute")
    assert confirm.status_code == 200
    assert "Mute @" + alice.username + "?" in confirm.text
    assert 'name="notifications" checked' in confirm.text
    assert not _relationship(bob, alice)["muting"]  # asking changed nothing

    done = web.submit(f"/web/accounts/{alice.id}/mute", f"/web/accounts/{alice.id}/mute",
                      {"notifications": "on", "duration": "86400"})
    assert done.status_code == 200 and done.url.path == f"/@{alice.username}"
    relationship = _relationship(bob, alice)
    assert relationship["muting"] and relationship["muting_notifications"]
    mute = bob.http.get("/api/v1/mutes").json()
    assert [m["id"] for m in mute] == [alice.id] and mute[0]["mute_expires_at"]
    assert "Muted" in done.text and f"/web/accounts/{alice.id}/unmute" in done.text

    undone = web.submit(f"/@{alice.username}", f"/web/accounts/{alice.id}/unmute",
                        {"back": f"/@{alice.username}"})
    assert undone.status_code == 200
    assert not _relationship(bob, alice)["muting"]


def test_a_mute_may_leave_notifications_alone_and_last_indefinitely(new_user, browser_of):
    alice, bob = new_user(), new_user()
    web = browser_of(bob)
    web.submit(f"/web/accounts/{alice.id}/mute", f"/web/accounts/{alice.id}/mute",
               {"duration": "0"})
    relationship = _relationship(bob, alice)
    assert relationship["muting"] and not relationship["muting_notifications"]
    assert bob.http.get("/api/v1/mutes").json()[0]["mute_expires_at"] is None


def test_blocking_asks_first_ends_follows_and_the_profile_says_so(new_user, browser_of):
    alice, bob = new_user(), new_user()
    bob.api.account_follow(alice.id)
    alice.api.account_follow(bob.id)
    web = browser_of(bob)
    confirm = web.get(f"/web/accounts/{alice.id}/block?back=/web/home")
    assert confirm.status_code == 200 and "both follows end" in confirm.text
    assert _relationship(bob, alice)["following"]  # asking changed nothing

    done = web.submit(f"/web/accounts/{alice.id}/block", f"/web/accounts/{alice.id}/block",
                      {"back": f"/@{alice.username}"})
    assert done.status_code == 200 and done.url.path == f"/@{alice.username}"
    relationship = _relationship(bob, alice)
    assert relationship["blocking"] and not relationship["following"]
    assert not relationship["followed_by"]
    profile = done.text.partition('<div class="profile-actions">')[2].partition("</div>")[0]
    assert "Blocked" in profile and f"Unblock @{alice.username}" in profile
    assert f'action="/web/accounts/{alice.id}/follow"' not in profile
    assert f'action="/web/accounts/{alice.id}/unfollow"' not in profile

    undone = web.submit(f"/@{alice.username}", f"/web/accounts/{alice.id}/unblock",
                        {"back": f"/@{alice.username}"})
    assert undone.status_code == 200
    assert not _relationship(bob, alice)["blocking"]
    assert f'action="/web/accounts/{alice.id}/follow"' in undone.text


def test_muting_or_blocking_oneself_or_nobody_is_refused(new_user, browser_of):
    bob = new_user()
    web = browser_of(bob)
    for kind in ("mute", "block"):
        mine = web.get(f"/web/accounts/{bob.id}/{kind}")
        assert mine.status_code == 422 and f"You cannot {kind} yourself" in mine.text
        forced = web.submit("/web/home", f"/web/accounts/{bob.id}/{kind}", {"duration": "0"})
        assert forced.status_code == 422
        for nobody in ("99999999999", "x", "-1", "99999999999999999999999"):
            assert web.get(f"/web/accounts/{nobody}/{kind}").status_code == 404
            assert web.submit("/web/home", f"/web/accounts/{nobody}/{kind}",
                              {"duration": "0"}).status_code == 404
    assert bob.http.get("/api/v1/mutes").json() == []
    assert bob.http.get("/api/v1/blocks").json() == []


def test_a_mute_for_a_time_not_offered_changes_nothing(new_user, browser_of):
    alice, bob = new_user(), new_user()
    web = browser_of(bob)
    for duration in ("5", "-1", "forever", "", "99999999999999"):
        answer = web.submit(f"/web/accounts/{alice.id}/mute", f"/web/accounts/{alice.id}/mute",
                            {"duration": duration})
        assert answer.status_code == 422, duration
        assert "Please choose how long the mute lasts" in answer.text
    assert not _relationship(bob, alice)["muting"]


def test_forms_without_their_token_change_nothing(new_user, browser_of):
    alice, bob = new_user(), new_user()
    status = alice.api.status_post("Reported without a token", visibility="public")
    web = browser_of(bob)
    web.get("/web/home")
    for csrf in (None, "0" * 64):
        token = {} if csrf is None else {"csrf": csrf}
        for action in ("mute", "block"):
            answer = web.http.post(f"/web/accounts/{alice.id}/{action}",
                                   data={**token, "duration": "0"})
            assert answer.status_code == 403 and "nothing was changed" in answer.text
        answer = web.http.post("/web/reports", data={
            **token, "account_id": alice.id, "category": "spam", "status_ids": status["id"]})
        assert answer.status_code == 403
    relationship = _relationship(bob, alice)
    assert not relationship["muting"] and not relationship["blocking"]
    bob.api.account_block(alice.id)
    for csrf in (None, "0" * 64):
        web.http.post(f"/web/accounts/{alice.id}/unblock",
                      data={} if csrf is None else {"csrf": csrf})
    assert _relationship(bob, alice)["blocking"]


def test_signed_out_people_are_sent_to_sign_in(new_user, web):
    alice = new_user()
    for path in (f"/web/accounts/{alice.id}/mute", f"/web/accounts/{alice.id}/block",
                 f"/web/reports/new?account_id={alice.id}", "/web/reports/sent"):
        assert web.get(path).url.path == "/web/sign-in", path


def test_a_report_from_a_card_reaches_the_moderators_console(new_user, browser_of):
    moderator = new_user(role="moderator")
    alice, bob = new_user(display_name="Spammy Alice"), new_user()
    older = alice.api.status_post("An older post of hers", visibility="public")
    reported = alice.api.status_post("Buy cheap watches", visibility="public")
    web = browser_of(bob)
    form_path = (f"/web/reports/new?account_id={alice.id}&status_id={reported['id']}"
                 f"&back={_page_of(reported)}")
    form = web.get(form_path)
    assert form.status_code == 200 and f"Report @{alice.username}" in form.text
    assert re.search(rf'value="{reported["id"]}" checked>', form.text)
    assert re.search(rf'value="{older["id"]}">', form.text)
    for category in ("spam", "legal", "violation", "other"):
        assert f'value="{category}"' in form.text

    sent = web.submit(form_path, "/web/reports", {
        "account_id": alice.id, "category": "spam", "comment": "Advertising again",
        "status_ids": [reported["id"], older["id"]], "back": _page_of(reported)})
    assert sent.status_code == 200 and sent.url.path == "/web/reports/sent"
    assert "The moderators will look at it." in sent.text
    assert f"/web/accounts/{alice.id}/mute?back=" in sent.text

    reports = moderator.http.get("/api/v1/admin/reports").json()
    report = next(r for r in reports if r["target_account"]["id"] == alice.id)
    assert report["category"] == "spam" and report["comment"] == "Advertising again"
    assert {s["id"] for s in report["statuses"]} == {reported["id"], older["id"]}
    assert report["account"]["id"] == bob.id

    console = browser_of(moderator)
    queue = console.get("/web/admin/reports").text
    assert f'href="/web/admin/reports/{report["id"]}"' in queue
    detail = console.get(f"/web/admin/reports/{report['id']}").text
    assert "Advertising again" in detail and "Buy cheap watches" in detail


def test_a_report_from_a_profile_needs_a_category_and_keeps_the_form(new_user, browser_of):
    alice, bob = new_user(), new_user()
    post = alice.api.status_post("Just a post", visibility="public")
    web = browser_of(bob)
    form_path = f"/web/reports/new?account_id={alice.id}"
    assert f'href="{form_path}"' in web.get(f"/@{alice.username}").text.replace("&amp;", "&")
    refused = web.submit(form_path, "/web/reports", {
        "account_id": alice.id, "comment": "Kept <b>text</b>", "status_ids": post["id"]})
    assert refused.status_code == 422 and "Please choose what is wrong" in refused.text
    assert 'role="alert"' in refused.text and "Kept &lt;b&gt;text&lt;/b&gt;" in refused.text
    assert re.search(rf'value="{post["id"]}" checked>', refused.text)
    too_long = web.submit(form_path, "/web/reports", {
        "account_id": alice.id, "category": "other", "comment": "x" * 1001})
    assert too_long.status_code == 422 and "Comment is too long" in too_long.text
    assert not [r for r in _reports_about(new_user, alice)]


def _reports_about(new_user, account) -> list[dict]:
    moderator = new_user(role="moderator")
    return [r for r in moderator.http.get("/api/v1/admin/reports").json()
            if r["target_account"]["id"] == account.id]


def test_reporting_yourself_is_refused(new_user, browser_of):
    bob = new_user()
    mine = bob.api.status_post("My post", visibility="public")
    web = browser_of(bob)
    page = web.get(f"/web/reports/new?account_id={bob.id}&status_id={mine['id']}")
    assert page.status_code == 422 and "You cannot report yourself" in page.text
    forced = web.submit("/web/home", "/web/reports", {
        "account_id": bob.id, "category": "spam", "status_ids": mine["id"]})
    assert forced.status_code == 422 and "You cannot report yourself" in forced.text
    assert _reports_about(new_user, bob) == []
    assert "/web/reports/new" not in web.get(f"/@{bob.username}").text


def test_reports_about_nobody_or_with_posts_not_theirs_are_refused(new_user, browser_of):
    alice, bob, carol = new_user(), new_user(), new_user()
    carols = carol.api.status_post("Carol's post", visibility="public")
    secret = alice.api.status_post("Followers only", visibility="private")
    web = browser_of(bob)
    for path in ("/web/reports/new", "/web/reports/new?account_id=99999999999",
                 "/web/reports/new?account_id=x",
                 f"/web/reports/new?account_id={alice.id}&status_id={carols['id']}",
                 f"/web/reports/new?account_id={alice.id}&status_id={secret['id']}",
                 f"/web/reports/new?account_id={alice.id}&status_id=nope"):
        assert web.get(path).status_code == 404, path
    for fields in ({"account_id": "99999999999"}, {"account_id": ""}, {}):
        answer = web.submit("/web/home", "/web/reports", {"category": "spam", **fields})
        assert answer.status_code == 404
    for stray in (carols["id"], secret["id"], "nope"):
        answer = web.submit("/web/home", "/web/reports", {
            "account_id": alice.id, "category": "spam", "status_ids": stray})
        assert answer.status_code == 422, stray
        assert "Status ids must be statuses of the reported account" in answer.text
        assert "Followers only" not in answer.text
    assert _reports_about(new_user, alice) == []
    # Those who may see a followers-only post may report it.
    bob.api.account_follow(alice.id)
    assert web.get(f"/web/reports/new?account_id={alice.id}&status_id={secret['id']}"
                   ).status_code == 200


def test_a_refused_report_keeps_ticked_only_the_posts_of_theirs_one_may_see(new_user,
                                                                            browser_of):
    alice, bob, carol = new_user(), new_user(), new_user()
    hers = alice.api.status_post("Her public post", visibility="public")
    secret = alice.api.status_post("Followers only", visibility="private")
    carols = carol.api.status_post("Carol's post", visibility="public")
    boost = alice.api.status_reblog(carols["id"])
    web = browser_of(bob)
    refused = web.submit(f"/web/reports/new?account_id={alice.id}", "/web/reports", {
        "account_id": alice.id, "comment": "Mixed",
        "status_ids": [hers["id"], secret["id"], carols["id"], boost["id"]]})
    assert refused.status_code == 422 and "Please choose what is wrong" in refused.text
    assert re.search(rf'value="{hers["id"]}" checked>', refused.text)
    for stray in (secret, carols, boost):
        assert f'value="{stray["id"]}"' not in refused.text
    assert "Followers only" not in refused.text


def test_pages_speak_german(new_user, server):
    alice, bob = new_user(), new_user()
    web = WebClient(server.base_url, language="de")
    web.sign_in(bob.username)
    web.submit("/web/settings", "/web/language", {"language": "de", "back": "/web/home"})
    assert "stummschalten?" in web.get(f"/web/accounts/{alice.id}/mute").text
    assert "Beiträge" in web.get(f"/web/accounts/{alice.id}/block").text
    assert "Was stimmt nicht?" in web.get(f"/web/reports/new?account_id={alice.id}").text
    web.close()
