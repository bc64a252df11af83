"""The console's People part in a real headless Chromium: an admin invites a person with the
keyboard alone, finds them in the list and opens their page; axe in light and dark and
photographs of the overview, the list and a person."""

from __future__ import annotations

import pytest

from browser_support import check_and_photograph, require_playwright, tab_to, violations
from support import UserFactory

expect = require_playwright()


@pytest.fixture(scope="module")
def people(browser_instance):
    factory = UserFactory(browser_instance)
    ada = factory.create("ada", display_name="Ada Admin", role="admin")
    bea = factory.create("bea", display_name="Bea Beispiel")
    ada.http.post("/api/zwitscher/v1/groups", data={"name": "Press office", "slug": "press"}
                  ).raise_for_status()
    return {"ada": ada, "bea": bea}


def test_an_admin_invites_a_person_with_the_keyboard_alone(browser_contexts, people):
    page = browser_contexts("ada").new_page()
    page.goto("/web/admin")
    tab_to(page, 'a[href="/web/admin/people"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="People", exact=True)).to_be_visible()
    tab_to(page, 'a[href="/web/settings/invite"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Invite people")).to_be_visible()
    tab_to(page, "#email")
    page.keyboard.type("carla@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("Carla Neu")
    tab_to(page, "#group")
    page.keyboard.press("ArrowDown")
    tab_to(page, 'button[type="submit"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to carla@example.org")
    page.goto("/web/admin/people?q=carla")
    tab_to(page, "table a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Carla Neu")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("carla@example.org")
    expect(page.get_by_role("link", name="Press office")).to_be_visible()
    page.close()


@pytest.mark.engine_independent
def test_console_pages_pass_axe_in_light_and_dark(browser_contexts, people):
    dark = browser_contexts("ada", color_scheme="dark")
    page = dark.new_page()
    for path in ("/web/admin", "/web/admin/people", f"/web/admin/people/{people['bea'].id}"):
        page.goto(path)
        assert violations(page) == [], f"{path} (dark)"
    page.close()
    light = browser_contexts("ada")
    for path, name in (("/web/admin", "admin-overview"), ("/web/admin/people", "admin-people"),
                       (f"/web/admin/people/{people['bea'].id}", "admin-person")):
        check_and_photograph(light, path, name)
