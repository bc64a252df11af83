"""The console's brand accounts, approval queue and reports in a real headless Chromium: a
reviewer approves a brand draft with the keyboard alone (from the home timeline, through the
console's navigation), and axe plus photographs of the brands, a brand, the queue (a draft
with an image), the reports and a report, and the author's own drafts (waiting, published, not
approved with a comment), in light and dark."""

from __future__ import annotations

import pytest

from browser_support import (
    check_and_photograph,
    photograph,
    require_playwright,
    violations,
)
from media_support import image_bytes
from support import UserFactory, wait_until

expect = require_playwright()

BRANDS = "/api/zwitscher/v1/brands"


@pytest.fixture(scope="module")
def people(browser_instance):
    factory = UserFactory(browser_instance)
    ada = factory.create("ada", role="admin", display_name="Ada Admin")
    jana = factory.create("jana", role="communicator", display_name="Jana Stuker")
    tom = factory.create("tom", role="communicator", display_name="Tom Berger")
    brand = ada.http.post(BRANDS, data={"username": "press",
                                        "display_name": "Press office"}).json()
    for person, needs in ((jana, "false"), (tom, "true")):
        ada.http.post(f"{BRANDS}/{brand['id']}/authors", data={
            "account_id": person.id, "needs_approval": needs}).raise_for_status()
    first = tom.http.post(f"{BRANDS}/{brand['id']}/statuses", data={
        "status": "Die Kantine öffnet am Montag wieder.", "visibility": "internal"}).json()
    turned_down = tom.http.post(f"{BRANDS}/{brand['id']}/statuses", data={
        "status": "Wir haben die beste Kantine der Welt!"}).json()
    jana.http.post(f"{BRANDS}/{brand['id']}/drafts/{turned_down['id']}/reject", data={
        "note": "Bitte ohne Superlative – und nenne das Datum der Eröffnung."}
    ).raise_for_status()
    picture = tom.http.post("/api/v2/media", files={
        "file": ("team.png", image_bytes("PNG", (640, 360), color=(40, 110, 170)), "image/png")},
        data={"description": "Das Team vor dem neuen Gebäude"}).json()
    tom.http.post(f"{BRANDS}/{brand['id']}/statuses", data={
        "status": "Unser neues Gebäude ist fertig! #umzug", "spoiler_text": "Umzug",
        "visibility": "public", "media_ids[]": picture["id"]}).raise_for_status()

    rita, max_ = factory.create("rita"), factory.create("max", display_name="Max Muster")
    spam = max_.api.status_post("Kauft billige Uhren auf example.com!")
    report = rita.http.post("/api/v1/reports", data={
        "account_id": max_.id, "status_ids[]": spam["id"], "category": "spam",
        "comment": "Schon wieder Werbung."}).json()
    return {"ada": ada, "jana": jana, "tom": tom, "brand": brand, "first": first,
            "report": report}


def _tab_to(page, name: str, *, limit: int = 80) -> None:
    """Press Tab until the focused element's accessible text starts with `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.innerText || ''").strip()
        if focused.startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_a_reviewer_approves_a_brand_draft_with_the_keyboard_alone(browser_contexts, people):
    page = browser_contexts("jana").new_page()
    page.goto("/web/home")
    _tab_to(page, "Administration")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Administration", exact=True)).to_be_visible()
    _tab_to(page, "Approval queue")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Approval queue")).to_be_visible()
    expect(page.get_by_text("Die Kantine öffnet am Montag wieder.")).to_be_visible()
    _tab_to(page, "Approve")  # the oldest draft comes first
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Approved: the post is published.")
    expect(page.get_by_text("Die Kantine öffnet am Montag wieder.")).to_have_count(0)
    brand, first = people["brand"], people["first"]
    published = wait_until(lambda: people["jana"].http.get(
        f"{BRANDS}/{brand['id']}/drafts", params={"state": "published"}).json())
    assert [d["id"] for d in published] == [first["id"]]
    page.close()


@pytest.mark.engine_independent
def test_console_pages_pass_axe_in_light_and_dark_and_are_photographed(browser_contexts,
                                                                      people):
    brand, report = people["brand"], people["report"]
    pages = {"admin-brands": "/web/admin/brands",
             "admin-brand": f"/web/admin/brands/{brand['id']}",
             "admin-drafts": "/web/admin/drafts",
             "admin-reports": "/web/admin/reports",
             "admin-report": f"/web/admin/reports/{report['id']}",
             "admin-report-limit": f"/web/admin/reports/{report['id']}/limit"}
    # Dark first: photographing switches Ada's language (her setting) to German at the end.
    page = browser_contexts("ada", color_scheme="dark").new_page()
    for name, path in pages.items():
        page.goto(path)
        assert violations(page) == [], f"{name} (dark)"
        photograph(page, f"{name}-dark-en-1280.png", full_page=True)
    page.close()
    light = browser_contexts("ada")
    for name, path in pages.items():
        check_and_photograph(light, path, name)


@pytest.mark.engine_independent
def test_my_drafts_pass_axe_in_light_and_dark_and_are_photographed(browser_contexts, people):
    """Tom's drafts: the image post waiting, the first one published (approved above), and the
    one Jana turned down, with her comment; and his notifications of both decisions, which
    link there."""
    wait_until(lambda: len([n for n in people["tom"].http.get("/api/v1/notifications").json()
                            if n["type"].startswith("brand.draft_")]) == 2)
    page = browser_contexts("tom", color_scheme="dark").new_page()
    page.goto("/web/notifications")
    expect(page.get_by_role("link", name="See my drafts")).to_have_count(2)
    assert violations(page) == [], "brand-notifications (dark)"
    page.get_by_role("link", name="See my drafts").first.click()
    expect(page.get_by_role("heading", name="My drafts")).to_be_visible()
    expect(page.get_by_text("Bitte ohne Superlative")).to_be_visible()
    assert violations(page) == [], "my-drafts (dark)"
    photograph(page, "my-drafts-dark-en-1280.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 900})
    photograph(page, "my-drafts-dark-en-375.png", full_page=True)
    page.close()
    light = browser_contexts("tom")
    check_and_photograph(light, "/web/notifications", "brand-notifications")
    check_and_photograph(light, "/web/drafts", "my-drafts")
