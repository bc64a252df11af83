"""Notifications, held-back notifications, bookmarks, favourites and search in a real headless
Chromium: a notification arrives live and is announced; every page passes axe-core and is
photographed at 375 px and 1280 px in German and English into `tests/artifacts/`."""

from __future__ import annotations

import pytest

from browser_support import check_and_photograph, require_playwright, violations
from support import UserFactory

expect = require_playwright()

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def people(browser_instance):
    users = UserFactory(browser_instance)
    return {"alice": users.create("alice", display_name="Alice Adler", locked=True),
            "bob": users.create("bob", display_name="Bob Bauer"),
            "carol": users.create("carol", display_name="Carol Christ"),
            "mallory": users.create("mallory", display_name=HOSTILE)}


@pytest.fixture(scope="module")
def alice_context(browser_contexts):
    return browser_contexts("alice")


def test_a_notification_arrives_live_and_is_announced(alice_context, people):
    page = alice_context.new_page()
    page.goto("/web/notifications")
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(page.locator(".inbox .empty")).to_be_visible()
    # Once the page listens, a follow request made now must reach it.
    expect(page.locator("#notifications")).to_have_attribute("data-listening", "yes")
    people["bob"].api.account_follow(people["alice"].id)
    first = page.locator("#notifications article.notification").first
    expect(first).to_contain_text("Bob Bauer asks to follow you", timeout=15000)
    expect(page.locator("#notification-live")).to_have_text("Bob Bauer asks to follow you")
    expect(page.locator(".inbox .empty")).to_have_count(0)
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    # Answered from the page that received it live, without reloading first.
    first.get_by_role("button", name="Accept the follow request from Bob Bauer").click()
    expect(page.get_by_text("Bob Bauer asks to follow you")).to_have_count(0)
    assert people["bob"].api.account_relationships(people["alice"].id)[0]["following"]
    page.close()


def test_marking_all_as_read_in_the_browser(alice_context, people):
    people["carol"].api.account_follow(people["alice"].id)
    page = alice_context.new_page()
    page.goto("/web/notifications")
    expect(page.get_by_role("heading", level=1)).to_contain_text("unread")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("unread")
    count = people["alice"].http.get("/api/v1/notifications/unread_count").json()["count"]
    assert count == 0
    page.close()


@pytest.mark.engine_independent
def test_pages_pass_axe_and_are_photographed_in_both_languages(alice_context, people):
    alice, bob, carol, mallory = (people[n] for n in ("alice", "bob", "carol", "mallory"))
    mine = alice.api.status_post("Who joins the #birdwatching walk on Sunday?")
    bob.api.status_favourite(mine["id"])
    carol.api.status_favourite(mine["id"])
    carol.api.status_reblog(mine["id"])
    bob.api.status_post(f"@alice I do! Binoculars ready for #birdwatching {HOSTILE}")
    mallory.api.account_follow(alice.id)
    alice.http.patch("/api/v2/notifications/policy",
                     data={"for_not_following": "filter"}).raise_for_status()
    mallory.api.status_post(f"@alice {HOSTILE} buy birdwatching gear")
    alice.http.patch("/api/v2/notifications/policy",
                     data={"for_not_following": "accept"}).raise_for_status()
    saved = bob.api.status_post("Birdwatching checklist: binoculars, tea, patience.",
                                spoiler_text="A long list")
    alice.api.status_bookmark(saved["id"])
    alice.api.status_favourite(saved["id"])

    page = alice_context.new_page()
    page.goto("/web/notifications")
    expect(page.get_by_text("Carol Christ and 1 other person favourited your post")
           ).to_be_visible()
    expect(page.get_by_role("link", name="1 person whose notifications were held back: review")
           ).to_be_visible()
    page.goto("/web/search?q=birdwatching")
    expect(page.get_by_role("heading", name="Hashtags")).to_be_visible()
    expect(page.get_by_role("heading", name="Posts")).to_be_visible()
    assert violations(page) == []
    page.close()

    check_and_photograph(alice_context, "/web/notifications", "notifications")
    check_and_photograph(alice_context, "/web/notifications?filter=mentions",
                         "notifications-mentions")
    check_and_photograph(alice_context, "/web/notifications/requests", "notification-requests")
    check_and_photograph(alice_context, "/web/bookmarks", "bookmarks")
    check_and_photograph(alice_context, "/web/favourites", "favourites")
    check_and_photograph(alice_context, "/web/search?q=b", "search")
    check_and_photograph(alice_context, "/web/search?q=" + "x" * 501, "search-too-long")


def test_no_page_scrolls_sideways_from_320_to_1920_px(alice_context):
    page = alice_context.new_page()
    for path in ("/web/notifications", "/web/notifications/requests", "/web/bookmarks",
                 "/web/favourites", "/web/search?q=b", "/web/search?q=" + "x" * 501):
        for width in (320, 1920):
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(path)
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= width, (path, width, overflow)
    page.close()
