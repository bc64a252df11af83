"""The compact composer, the announcements banner and the unread badge in a real headless
Chromium, by keyboard alone: the composer folded on a phone and opened with "New post", the
pinned composer's Publish button on a 1280×768 screen, an audience chosen with the arrow keys
explaining itself (and its group picker), "post as" a brand that needs approval, an
announcement dismissed without reloading; axe in light and dark, and photographs."""

from __future__ import annotations

import re

import pytest

from browser_support import (
    check_and_photograph,
    gets_focus,
    new_context,
    photograph,
    require_playwright,
    tab_to,
    violations,
)
from support import UserFactory, wait_until

expect = require_playwright()

BRANDS = "/api/zwitscher/v1/brands"
ANNOUNCEMENT = "The canteen is closed on Friday – bring a packed lunch."


@pytest.fixture(scope="module")
def people(browser_instance):
    factory = UserFactory(browser_instance)
    ada = factory.create("ada", role="admin", display_name="Ada Admin")
    found = {"ada": ada,
             "max": factory.create("max", display_name="Max Mobile"),
             "wen": factory.create("wen", display_name="Wen Wide"),
             "gus": factory.create("gus", display_name="Gus Groups"),
             "cat": factory.create("cat", role="communicator", display_name="Cat Comms"),
             "dan": factory.create("dan", display_name="Dan Dismiss")}
    for name in ("max", "wen", "dan"):
        found[name].api.account_follow(found["ada"].id)
    ada.api.status_post("Welcome to the new office, everyone!", visibility="public")
    group = ada.http.post("/api/zwitscher/v1/groups", data={"slug": "kitchen",
                                                           "name": "Kitchen team"}).json()
    ada.http.post(f"/api/zwitscher/v1/groups/{group['id']}/members",
                  data={"account_ids[]": found["gus"].id}).raise_for_status()
    brand = ada.http.post(BRANDS, data={"username": "canteen",
                                        "display_name": "Canteen"}).json()
    ada.http.post(f"{BRANDS}/{brand['id']}/authors", data={
        "account_id": found["cat"].id, "needs_approval": "true"}).raise_for_status()
    found["announcement"] = ada.http.post("/api/zwitscher/v1/admin/announcements",
                                          data={"text": ANNOUNCEMENT}).json()
    return found


def test_on_a_phone_the_composer_waits_behind_new_post_and_opens_by_keyboard(browser_contexts,
                                                                           people):
    page = browser_contexts("max", viewport={"width": 375, "height": 740}).new_page()
    page.goto("/web/home")
    expect(page.locator("#text")).to_be_hidden()
    first_post = page.locator("#feed article.status").first
    expect(first_post).to_contain_text("Welcome to the new office")
    assert first_post.bounding_box()["y"] < 740  # the first post is on the first screen
    photograph(page, "compose-phone-folded.png")
    tab_to(page, "button.compose-open")
    page.keyboard.press("Enter")
    expect(page.locator("#text")).to_be_visible()
    assert gets_focus(page, "#text")
    page.keyboard.type("Written on the bus")
    tab_to(page, "#compose button[type=submit]")
    photograph(page, "compose-phone-open.png")
    page.keyboard.press("Enter")
    expect(page.locator("#feed article").first).to_contain_text("Written on the bus")
    expect(page.locator("#text")).to_be_hidden()  # folded again for reading
    page.keyboard.press("n")  # the shortcut opens it too
    expect(page.locator("#text")).to_be_visible()
    expect(page.locator("#text")).to_be_focused()
    page.close()


def test_the_pinned_composer_keeps_publish_on_a_1280_by_768_screen(browser_contexts, people):
    page = browser_contexts("wen", viewport={"width": 1280, "height": 768}).new_page()
    page.goto("/web/home")
    expect(page.locator(".announcements")).to_contain_text("canteen is closed")
    publish = page.get_by_role("button", name="Publish")
    expect(publish).to_be_visible()
    box = publish.bounding_box()
    assert box["y"] + box["height"] <= 768, box
    photograph(page, "compose-1280x768.png")
    page.mouse.wheel(0, 600)  # still there further down the timeline
    box = publish.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 768, box
    page.close()


def test_an_audience_chosen_by_keyboard_explains_itself_and_shows_its_group_picker(
        browser_contexts, people):
    page = browser_contexts("gus").new_page()
    page.goto("/web/home")
    hint = page.locator("#visibility-hint")
    expect(hint).to_have_text("Anyone, also people who are not signed in, and it shows on "
                              "public timelines.")
    expect(page.get_by_role("group", name="Groups (for “Only my groups”)")).to_be_hidden()
    tab_to(page, "#visibility")
    while page.locator("#visibility").input_value() != "private":
        page.keyboard.press("ArrowDown")
    expect(hint).to_have_text("People who follow you, and people you mention.")
    page.keyboard.press("End")
    assert page.locator("#visibility").input_value() == "group"
    expect(hint).to_have_text("Members of the groups you choose below.")
    tab_to(page, "input[name=group_ids]")
    page.keyboard.press("Space")
    expect(page.get_by_label("Kitchen team")).to_be_checked()
    page.close()


def test_posting_as_a_brand_that_needs_approval_says_so_before_and_after(browser_contexts,
                                                                         people):
    page = browser_contexts("cat").new_page()
    page.goto("/web/home")
    expect(page.locator("#post-as-hint")).to_be_hidden()
    tab_to(page, "#post_as")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#post-as-hint")).to_contain_text("go to the approval queue first")
    expect(page.locator("#compose button[type=submit]")).to_have_text("Send for approval")
    tab_to(page, "#text")
    page.keyboard.type("Soup of the day: pumpkin")
    tab_to(page, "#compose button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Your post as Canteen is waiting for "
                                                       "approval.")
    assert people["ada"].api.account_statuses(people["cat"].id) == []
    page.close()


def test_the_announcement_is_dismissed_by_keyboard_and_stays_dismissed(browser_contexts,
                                                                      people):
    page = browser_contexts("dan").new_page()
    page.goto("/web/home")
    banner = page.get_by_role("region", name="Announcements")
    expect(banner).to_contain_text(ANNOUNCEMENT)
    tab_to(page, ".announcement button")
    page.keyboard.press("Enter")
    expect(banner).to_have_count(0)
    assert gets_focus(page, "#main")
    wanted = people["announcement"]["id"]
    assert wait_until(lambda: next(a for a in people["dan"].api.announcements()
                                   if a["id"] == wanted)["read"])
    page.goto("/web/notifications")
    expect(page.locator("#main")).not_to_contain_text(ANNOUNCEMENT)
    page.close()


@pytest.mark.engine_independent
def test_home_with_the_banner_and_badge_passes_axe_in_light_and_dark(chromium, browser_instance,
                                                                      browser_contexts, people):
    people["max"].api.status_post("@ada lunch at noon?", visibility="public")
    unread = people["ada"].http.get("/api/v1/notifications/unread_count")
    assert unread.json()["count"] >= 1
    dark = new_context(chromium, browser_instance, "ada", color_scheme="dark")
    page = dark.new_page()
    page.goto("/web/home")
    expect(page.get_by_role("link", name=re.compile(r"^Notifications \(\d+ unread\)$"))
           ).to_be_visible()
    expect(page.locator(".announcements")).to_be_visible()
    assert violations(page) == []
    photograph(page, "compose-home-dark.png", full_page=True)
    dark.close()
    check_and_photograph(browser_contexts("ada"), "/web/home", "compose-home")
