"""The console's Announcements, Custom emojis, Instance, Audit log and Directory sync parts in
a real headless Chromium: an announcement written with the keyboard alone, and axe (light and
dark) plus photographs of the five pages."""

from __future__ import annotations

import httpx
import pytest

from browser_support import (
    check_and_photograph,
    photograph,
    require_playwright,
    switch_language,
    violations,
)
from media_support import image_bytes
from support import UserFactory

expect = require_playwright()

PAGES = {"announcements": "/web/admin/announcements", "emojis": "/web/admin/emojis",
         "instance": "/web/admin/instance", "audit": "/web/admin/audit",
         "directory": "/web/admin/directory"}


@pytest.fixture(scope="module")
def people(browser_instance):
    factory = UserFactory(browser_instance)
    ada = factory.create("ada", display_name="Ada Admin", role="admin")
    announcements = "/api/zwitscher/v1/admin/announcements"
    ada.http.post(announcements, data={"text": "The canteen is closed on Friday."})
    ada.http.post(announcements, data={
        "text": "Summer party on the roof, bring sunscreen!",
        "starts_at": "2030-06-20T16:00:00Z", "ends_at": "2030-06-20T23:00:00Z"})
    for shortcode, colour in (("party", (250, 180, 0, 255)), ("bird", (40, 120, 220, 255))):
        ada.http.post("/api/zwitscher/v1/admin/custom_emojis", data={
            "shortcode": shortcode, "category": "Office"}, files={"image": (
                "e.png", image_bytes("PNG", (64, 64), mode="RGBA", color=colour),
                "image/png")}).raise_for_status()
    token = browser_instance.cli("scim", "token", "--name", "Entra ID").strip()
    httpx.post(f"{browser_instance.base_url}/scim/v2/Users", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"}, json={
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "bruno",
        "emails": [{"value": "bruno@example.com", "primary": True}]}).raise_for_status()
    return {"ada": ada}


def _focus(page, selector: str, limit: int = 80) -> None:
    """Tab until `selector` has the focus, as a person with a keyboard would."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus")


def test_an_announcement_is_written_and_listed_with_the_keyboard_alone(browser_contexts,
                                                                        people):
    page = browser_contexts("ada").new_page()
    page.goto("/web/admin/announcements")
    _focus(page, "#text")
    page.keyboard.type("Fire drill at 10:00 – please leave by the stairs.")
    _focus(page, "form[action='/web/admin/announcements'] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("The announcement was saved.")
    showing = page.locator("section", has=page.locator("#current-heading"))
    expect(showing.get_by_text("Fire drill at 10:00 – please leave by the stairs.")).to_be_visible()
    assert any("Fire drill" in a["content"] for a in people["ada"].api.announcements())
    page.close()


@pytest.mark.engine_independent
def test_the_pages_pass_axe_in_light_and_dark_and_are_photographed(browser_contexts, people):
    light = browser_contexts("ada")
    for name, path in PAGES.items():
        check_and_photograph(light, path, f"admin-{name}")
    back = light.new_page()  # the photographs leave Ada's language at German
    back.goto("/web/home")
    switch_language(back, "en")
    back.close()
    dark = browser_contexts("ada", color_scheme="dark")
    page = dark.new_page()
    for name, path in PAGES.items():
        page.goto(path)
        assert violations(page) == [], f"{name} (dark)"
    # The token shown once, photographed too.
    page.goto(PAGES["directory"])
    page.get_by_label("Which directory is it for?").fill("Okta – staging")
    page.get_by_role("button", name="Create the token").click()
    expect(page.get_by_role("heading", name="Copy the new token now")).to_be_visible()
    assert violations(page) == []
    photograph(page, "admin-directory-new-token-dark.png", full_page=True)
    page.close()
