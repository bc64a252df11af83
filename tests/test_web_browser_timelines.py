"""Public, hashtag and list pages in a real headless Chromium against a fresh instance.

New posts arrive live on the public page and on a list page (the page's own stream through
`/web/stream?stream=…`), and every page passes axe-core and is photographed at 375 px and
1280 px in German and English into `tests/artifacts/`.
"""

from __future__ import annotations

import pytest

from browser_support import check_and_photograph, require_playwright, violations
from support import UserFactory

expect = require_playwright()


@pytest.fixture(scope="module")
def people(browser_instance):
    factory = UserFactory(browser_instance)
    return {name: factory.create(name, display_name=display)
            for name, display in (("wanda", "Wanda Watcher"), ("paul", "Paul Poster"),
                                  ("quinn", "Quinn"))}


@pytest.fixture(scope="module")
def wanda(browser_contexts):
    return browser_contexts("wanda")


def test_a_public_post_appears_live_on_the_public_page(wanda, people):
    page = wanda.new_page()
    page.goto("/web/public")
    expect(page.get_by_role("heading", name="Explore", level=1)).to_be_visible()
    expect(page.locator("#feed[data-live]")).to_have_count(1)
    page.wait_for_timeout(500)  # the stream is open before the post is made
    people["paul"].api.status_post("Live on the <public> page #Zwitscher", visibility="public")
    expect(page.locator("#feed article").first).to_contain_text("Live on the <public> page",
                                                                timeout=15000)
    expect(page.locator("#live")).to_have_text("New post from Paul Poster")
    people["paul"].api.status_post("Only for followers", visibility="private")
    page.wait_for_timeout(1500)
    expect(page.locator("#feed")).not_to_contain_text("Only for followers")
    page.get_by_role("link", name="#Zwitscher").first.click()
    expect(page.get_by_role("heading", name="#Zwitscher", level=1)).to_be_visible()
    page.close()


def test_a_members_post_appears_live_on_a_list_page(wanda, people):
    people["wanda"].api.account_follow(people["paul"].id)
    people["wanda"].api.account_follow(people["quinn"].id)
    page = wanda.new_page()
    page.goto("/web/lists")
    page.get_by_label("Title").fill("Close colleagues")
    page.get_by_label("Replies to anyone I follow").check()
    page.get_by_role("button", name="Create list").click()
    expect(page.get_by_role("heading", name="Close colleagues", level=1)).to_be_visible()
    page.get_by_label("Add someone you follow").fill("@paul")
    page.get_by_role("button", name="Add to list").click()
    expect(page.locator(".members")).to_contain_text("Paul Poster")
    page.wait_for_timeout(500)
    people["quinn"].api.status_post("Quinn is not in the list")
    people["paul"].api.status_post("Paul, live in the list", visibility="private")
    expect(page.locator("#feed article").first).to_contain_text("Paul, live in the list",
                                                                timeout=15000)
    expect(page.locator("#live")).to_have_text("New post from Paul Poster")
    expect(page.locator("#feed")).not_to_contain_text("Quinn is not in the list")
    page.get_by_role("button", name="Remove Paul Poster from the list").click()
    expect(page.locator("#members")).to_contain_text("No one is in this list yet.")
    page.close()


def test_deleting_a_list_asks_first(wanda):
    page = wanda.new_page()
    page.goto("/web/lists")
    page.get_by_label("Title").fill("Short-lived")
    page.get_by_role("button", name="Create list").click()
    page.get_by_role("link", name="Delete this list…").click()
    expect(page.get_by_role("heading", name="Delete the list “Short-lived”?")).to_be_visible()
    assert violations(page) == []
    page.get_by_role("link", name="Cancel, keep the list").click()
    page.get_by_role("link", name="Delete this list…").click()
    page.get_by_role("button", name="Delete list").click()
    expect(page.get_by_role("heading", name="My lists")).to_be_visible()
    expect(page.locator(".lists")).not_to_contain_text("Short-lived")
    page.close()


@pytest.mark.engine_independent
def test_timeline_pages_pass_axe_and_are_photographed_in_both_languages(wanda, chromium,
                                                                        browser_instance, people):
    people["paul"].api.status_post("A #Zwitscher post with a content warning",
                                   spoiler_text="Spoiler")
    people["quinn"].api.status_post("Hello #Zwitscher, " + "long words " * 30)
    page = wanda.new_page()
    page.goto("/web/lists")
    list_url = page.locator(".lists a").first.get_attribute("href")
    page.goto(list_url)
    page.get_by_label("Add someone you follow").fill("quinn")
    page.get_by_role("button", name="Add to list").click()
    page.goto("/web/tags/Zwitscher")
    page.get_by_role("button", name="Follow #Zwitscher").click()
    expect(page.get_by_role("button", name="Unfollow #Zwitscher")).to_be_visible()
    page.close()
    check_and_photograph(wanda, "/web/public", "public-timeline")
    check_and_photograph(wanda, "/web/tags/Zwitscher", "hashtag")
    check_and_photograph(wanda, "/web/lists", "lists")
    check_and_photograph(wanda, list_url, "list")
    anonymous = chromium.new_context(base_url=browser_instance.base_url)
    check_and_photograph(anonymous, "/tags/zwitscher", "public-hashtag")
    page = anonymous.new_page()
    page.set_viewport_size({"width": 320, "height": 800})
    for path in ("/tags/zwitscher", "/web/sign-in"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth <= 320"), path
    page.close()
    anonymous.close()
    page = wanda.new_page()
    page.set_viewport_size({"width": 320, "height": 800})
    for path in ("/web/public", "/web/tags/Zwitscher", "/web/lists", list_url):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth <= 320"), path
    page.close()
