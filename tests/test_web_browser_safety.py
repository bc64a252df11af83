"""Safety and conversations in a real headless Chromium: reporting a post from its card's
"more" menu with the keyboard alone, and axe (light and dark) plus photographs of the report,
mute, block, thank-you and conversations pages and of a profile's menu."""

from __future__ import annotations

import pytest

from browser_support import (
    check_and_photograph,
    photograph,
    require_playwright,
    tab_to,
    violations,
)
from support import UserFactory

expect = require_playwright()


@pytest.fixture(scope="module")
def people(browser_instance):
    factory = UserFactory(browser_instance)
    found = {"rita": factory.create("rita", display_name="Rita Reporter"),
             "sam": factory.create("sam", display_name="Sam Sender"),
             "mo": factory.create("mo", role="moderator")}
    sam, rita = found["sam"], found["rita"]
    found["older"] = sam.api.status_post("Cheap watches, first offer", visibility="public")
    found["post"] = sam.api.status_post("Cheap watches, click this link", visibility="public")
    sam.api.status_post("@rita Are you coming to the meeting tomorrow?", visibility="direct")
    rita.api.status_post("@sam Notes for the meeting", visibility="direct")
    return found


def _path(status: dict) -> str:
    return "/" + status["url"].split("/", 3)[3]


def test_report_a_post_from_its_card_with_the_keyboard_alone(browser_contexts, people):
    post = people["post"]
    page = browser_contexts("rita").new_page()
    page.goto(_path(post))
    card = 'article[aria-current="true"]'
    tab_to(page, f"{card} details.menu > summary")
    page.keyboard.press("Enter")
    expect(page.locator(f"{card} details.menu")).to_have_attribute("open", "")
    tab_to(page, f'{card} a[href^="/web/reports/new"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Report @sam")).to_be_visible()
    expect(page.locator(f'input[name="status_ids"][value="{post["id"]}"]')).to_be_checked()
    expect(page.locator(f'input[name="status_ids"][value="{people["older"]["id"]}"]')
           ).not_to_be_checked()

    tab_to(page, "#category-spam")
    page.keyboard.press("Space")
    tab_to(page, "#report-comment")
    page.keyboard.type("Sells watches in every thread")
    tab_to(page, f'input[name="status_ids"][value="{people["older"]["id"]}"]')
    page.keyboard.press("Space")
    tab_to(page, 'form[action="/web/reports"] button[type="submit"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Thank you for your report")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("The moderators will look at it.")

    reports = people["mo"].http.get("/api/v1/admin/reports").json()
    [report] = [r for r in reports if r["target_account"]["id"] == people["sam"].id]
    assert report["category"] == "spam"
    assert report["comment"] == "Sells watches in every thread"
    assert {s["id"] for s in report["statuses"]} == {post["id"], people["older"]["id"]}
    # "Back" returns to the post the report came from.
    tab_to(page, "section.safety > p > a")
    page.keyboard.press("Enter")
    expect(page.locator('article[aria-current="true"]')).to_contain_text("click this link")


@pytest.mark.engine_independent
def test_menus_pass_axe_when_open(browser_contexts, people):
    page = browser_contexts("rita").new_page()
    page.goto("/@sam")
    page.locator(".profile-actions details.menu > summary").click()
    expect(page.get_by_role("link", name="Report @sam")).to_be_visible()
    assert violations(page) == []
    page.set_viewport_size({"width": 375, "height": 900})
    photograph(page, "safety-profile-menu-en-375.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(_path(people["post"]))
    page.locator('article[aria-current="true"] details.menu > summary').click()
    expect(page.get_by_role("link", name="Report this post by Sam Sender")).to_be_visible()
    assert violations(page) == []

    # Blocked: the profile says so and offers unblocking where following was.
    people["mo"].api.account_block(people["sam"].id)
    page = browser_contexts("mo").new_page()
    page.goto("/@sam")
    actions = page.locator(".profile-actions")
    expect(actions).to_contain_text("Blocked")
    expect(actions.get_by_role("button", name="Unblock @sam")).to_be_visible()
    expect(actions.get_by_role("button", name="Follow")).to_have_count(0)
    assert violations(page) == []
    photograph(page, "safety-profile-blocked-en-1280.png")


def test_nothing_overflows_a_narrow_phone(browser_contexts, people):
    sam = people["sam"]
    page = browser_contexts("rita", viewport={"width": 320, "height": 800}).new_page()
    for path in (f"/web/reports/new?account_id={sam.id}&status_id={people['post']['id']}",
                 f"/web/accounts/{sam.id}/mute", f"/web/accounts/{sam.id}/block",
                 "/web/conversations", "/@sam"):
        page.goto(path)
        if path == "/@sam":
            page.locator(".profile-actions details.menu > summary").click()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path

@pytest.mark.engine_independent
def test_pages_pass_axe_in_light_and_dark_and_are_photographed(browser_contexts, people):
    sam, post = people["sam"], people["post"]
    pages = {"report": f"/web/reports/new?account_id={sam.id}&status_id={post['id']}",
             "report-sent": f"/web/reports/sent?account_id={sam.id}",
             "mute": f"/web/accounts/{sam.id}/mute",
             "block": f"/web/accounts/{sam.id}/block",
             "conversations": "/web/conversations"}
    # Both contexts signed in before photographing switches Rita's language.
    light, dark = browser_contexts("rita"), browser_contexts("rita", color_scheme="dark")
    for name, path in pages.items():
        check_and_photograph(light, path, f"safety-{name}")
        check_and_photograph(dark, path, f"safety-{name}-dark")

