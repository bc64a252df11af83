"""Monitors in a real headless Chromium: a monitor made through the form, its timeline open
while a colleague posts — the matching post appears without a reload, with what it matched,
and is announced; a post that does not match stays away. The list, the form, the timeline
and the deletion pass axe-core and are photographed (375 px and 1280 px, German and English)
into `tests/artifacts/`."""

from __future__ import annotations

import re

import pytest

from browser_support import check_and_photograph, require_playwright, switch_language, violations
from support import UserFactory

expect = require_playwright()

LIVE = 15000  # ms: a matching post reaches the open timeline over the monitor's stream


@pytest.fixture(scope="module")
def people(browser_instance):
    factory = UserFactory(browser_instance)
    return {name: factory.create(name, display_name=display)
            for name, display in (("mona", "Mona Monitor"), ("piet", "Piet Poster"))}


@pytest.fixture(scope="module")
def mona(browser_contexts):
    return browser_contexts("mona")


def test_a_matching_post_appears_live_on_the_open_monitor_timeline(mona, people):
    page = mona.new_page()
    page.goto("/web/home")
    page.get_by_role("link", name="Monitors").first.click()
    expect(page.get_by_role("heading", name="Monitors", level=1)).to_be_visible()
    page.get_by_role("link", name="New monitor").click()
    page.get_by_label("Name").fill("Bahnhof watch")
    page.get_by_label("Keywords and phrases").fill("Hauptbahnhof\nTrain station")
    page.get_by_label("Leave out posts with").fill("parking")
    page.get_by_role("button", name="Create monitor").click()
    expect(page.get_by_role("heading", name="Bahnhof watch", level=1)).to_be_visible()
    expect(page.locator("#feed[data-live]")).to_have_count(1)
    page.wait_for_timeout(500)  # the stream is open before the posts are made
    people["piet"].api.status_post("Parking at the train station is full")
    people["piet"].api.status_post("Nothing to see here")
    people["piet"].api.status_post("New bike racks at the Hauptbahnhof!")
    article = page.locator("#feed article").first
    expect(article).to_contain_text("New bike racks at the Hauptbahnhof!", timeout=LIVE)
    expect(article.locator(".card-note mark")).to_have_text("Hauptbahnhof")
    expect(page.locator("#live")).to_have_text("New post from Piet Poster")
    expect(page.locator("#feed article")).to_have_count(1)
    expect(page.locator("#feed")).not_to_contain_text("Parking")
    assert violations(page) == []
    page.close()


def test_the_monitor_pages_pass_axe_in_both_languages(mona):
    page = mona.new_page()
    page.goto("/web/monitors")
    page.get_by_role("link", name="Bahnhof watch").click()
    monitor_path = re.search(r"/web/monitors/\d+", page.url).group(0)
    page.close()
    for path, name in (("/web/monitors", "monitors"), ("/web/monitors/new", "monitor-new"),
                       (monitor_path, "monitor"), (monitor_path + "/edit", "monitor-edit"),
                       (monitor_path + "/delete", "monitor-delete")):
        check_and_photograph(mona, path, name)


def test_deleting_a_monitor_asks_first(mona):
    page = mona.new_page()
    page.goto("/web/monitors")
    switch_language(page, "en")  # the pages above were seen in German last
    page.get_by_role("link", name="Bahnhof watch").click()
    page.get_by_role("link", name="Delete").click()
    expect(page.get_by_role("heading", name="Delete the monitor “Bahnhof watch”?")).to_be_visible()
    page.get_by_role("button", name="Delete monitor").click()
    expect(page.get_by_text("You have no monitors yet.")).to_be_visible()
    page.close()
