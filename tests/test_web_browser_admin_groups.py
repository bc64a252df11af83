"""The console's groups in a real headless Chromium: a CSV import after its dry run and a group
manager pasting names, each with the keyboard alone; axe in light and dark and photographs of
the tree, a group, the deletion's confirmation, the import and its plan."""

from __future__ import annotations

import pytest

from browser_support import (
    ARTIFACTS,
    WIDTHS,
    check_and_photograph,
    photograph,
    require_playwright,
    tab_to,
    violations,
)
from support import UserFactory

expect = require_playwright()

CSV = (b"username,email,display_name,role,groups,external_id\n"
       b",,Europe North,,north,\n"
       b"quinn,quinn@example.org,Quinn Quade,,north/oslo,E7\n"
       b"ruth,ruth@example.org,Ruth Rask,,north,E8\n")


@pytest.fixture(scope="module")
def people(browser_instance):
    factory = UserFactory(browser_instance)
    ada = factory.create("ada", display_name="Ada Admin", role="admin")
    manager = factory.create("max", display_name="Max Manager")
    for name in ("nia", "ole"):
        factory.create(name, display_name=name.capitalize())
    europe = ada.http.post("/api/zwitscher/v1/groups", data={
        "name": "Europe", "slug": "europe"}).json()
    berlin = ada.http.post("/api/zwitscher/v1/groups", data={
        "name": "Sales Berlin", "slug": "sales-berlin", "parent_id": europe["id"]}).json()
    ada.http.post(f"/api/zwitscher/v1/groups/{berlin['id']}/members", data={
        "account_ids[]": [manager.id], "role": "manager"}).raise_for_status()
    return {"ada": ada, "max": manager, "europe": europe, "berlin": berlin}


def test_an_admin_imports_a_csv_after_its_dry_run_with_the_keyboard_alone(browser_contexts,
                                                                          people):
    page = browser_contexts("ada").new_page()
    page.goto("/web/admin/groups")
    tab_to(page, 'a[href="/web/admin/groups/import"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Import groups and people")).to_be_visible()
    tab_to(page, "input#file")
    page.locator(":focus").set_input_files(
        {"name": "people.csv", "mimeType": "text/csv", "buffer": CSV})
    tab_to(page, "input#welcome")
    page.keyboard.press("Space")  # no e-mails for this import
    tab_to(page, 'button[type="submit"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="What the import will change")).to_be_visible()
    plan = page.locator("table.import-plan")
    expect(plan).to_contain_text("New person")
    expect(plan).to_contain_text("@quinn")
    expect(plan).to_contain_text("oslo")
    assert violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        photograph(page, f"admin-groups-plan-en-{width}.png", full_page=True)
    assert people["ada"].http.get("/api/v1/accounts/lookup",
                                  params={"acct": "quinn"}).status_code == 404
    tab_to(page, 'form[action$="/apply"] button')
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("The import is done.")
    expect(page.get_by_role("status")).to_contain_text("2 people created")
    quinn = people["ada"].http.get("/api/v1/accounts/lookup", params={"acct": "quinn"})
    assert quinn.status_code == 200 and quinn.json()["display_name"] == "Quinn Quade"
    page.goto("/web/admin/groups")
    expect(page.get_by_role("link", name="Europe North")).to_be_visible()
    page.close()


def test_a_group_manager_adds_members_by_pasting_names_with_the_keyboard_alone(
        browser_contexts, people):
    page = browser_contexts("max").new_page()
    page.goto("/web/admin/groups")
    expect(page.get_by_role("link", name="Europe")).to_have_count(0)
    tab_to(page, f'a[href="/web/admin/groups/{people["berlin"]["id"]}"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Sales Berlin", exact=True)).to_be_visible()
    tab_to(page, "textarea#names")
    page.keyboard.insert_text("nia, nobody_at_all\nole@example.org")
    tab_to(page, 'form[action$="/members"] button')
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("nobody_at_all")
    expect(page.get_by_role("cell", name="@nia")).to_have_count(0)
    tab_to(page, "textarea#names")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text("@nia, ole@example.org")
    tab_to(page, 'form[action$="/members"] button')
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("The people were added.")
    members = page.get_by_role("region", name="Members", exact=True)
    expect(members.get_by_role("link", name="@nia")).to_be_visible()
    expect(members.get_by_role("link", name="@ole")).to_be_visible()
    page.close()


@pytest.mark.engine_independent
def test_the_groups_pages_pass_axe_in_light_and_dark_and_are_photographed(browser_contexts,
                                                                         people):
    berlin = f"/web/admin/groups/{people['berlin']['id']}"
    pages = {"admin-groups": "/web/admin/groups", "admin-groups-group": berlin,
             "admin-groups-delete": f"{berlin}/delete",
             "admin-groups-import": "/web/admin/groups/import"}
    dark = browser_contexts("ada", color_scheme="dark",
                            viewport={"width": 375, "height": 800}).new_page()
    for name, path in pages.items():
        dark.goto(path)
        assert violations(dark) == [], f"{name} (dark)"
        assert dark.evaluate("document.documentElement.scrollWidth") <= 375, f"{name} overflows"
    dark.close()
    light = browser_contexts("ada")
    for name, path in pages.items():
        check_and_photograph(light, path, name)
