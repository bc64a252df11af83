"""Account pages in a real headless Chromium: follow from a profile, and axe plus photographs
of the settings, password, sessions and followers pages and of a profile seen signed in."""

from __future__ import annotations

import pytest

from browser_support import check_and_photograph, require_playwright, sign_in, violations
from media_support import image_bytes
from support import UserFactory

expect = require_playwright()


@pytest.fixture(scope="module")
def people(browser_instance):
    factory = UserFactory(browser_instance)
    ada = factory.create("ada", display_name="Ada Lovelace")
    bea = factory.create("bea", display_name="Bea Baker")
    bea.api.account_update_credentials(note="Bakes bread <script>alert(1)</script> and cakes.")
    for name in ("cem", "dora"):
        factory.create(name, display_name=name.capitalize()).api.account_follow(bea.id)
    return {"ada": ada, "bea": bea}


@pytest.fixture(scope="module")
def ada_context(browser_contexts):
    return browser_contexts("ada")


def test_follow_a_person_from_their_profile_and_see_the_button_change(ada_context, people):
    page = ada_context.new_page()
    page.goto("/@bea")
    page.get_by_role("button", name="Follow Bea Baker").click()
    expect(page.get_by_role("button", name="Unfollow Bea Baker")).to_be_visible()
    expect(page).to_have_url(f"{page.url.split('/@')[0]}/@bea")
    ada, bea = people["ada"], people["bea"]
    assert ada.api.account_relationships(bea.id)[0]["following"] is True
    page.get_by_role("link", name="3 followers").click()
    expect(page.get_by_role("heading", name="Followers of Bea Baker")).to_be_visible()
    expect(page.get_by_role("button", name="Follow Cem")).to_be_visible()
    page.goto("/@bea")
    page.get_by_role("button", name="Unfollow Bea Baker").click()
    expect(page.get_by_role("button", name="Follow Bea Baker")).to_be_visible()
    assert ada.api.account_relationships(bea.id)[0]["following"] is False
    page.close()


def test_profile_settings_upload_an_avatar_and_save(ada_context, tmp_path, people):
    picture = tmp_path / "ada.png"
    picture.write_bytes(image_bytes("PNG", (500, 500), color=(20, 120, 60)))
    page = ada_context.new_page()
    page.goto("/web/settings")
    assert violations(page) == []
    page.get_by_label("Bio").fill("Counts <b>numbers</b>.")
    page.get_by_label("New profile picture (optional)").set_input_files(str(picture))
    page.get_by_label("Who can see your new posts at first?").select_option("private")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_have_text("Your profile is saved.")
    expect(page.get_by_role("button", name="Remove profile picture")).to_be_visible()
    me = people["ada"].api.account_verify_credentials()
    assert me["source"]["note"] == "Counts <b>numbers</b>." and "missing" not in me["avatar"]
    page.goto("/web/home")
    expect(page.get_by_label("Who can see this post?")).to_have_value("private")
    expect(page.locator("#visibility-hint")).to_have_text(
        "People who follow you, and people you mention.")
    page.close()


@pytest.mark.engine_independent
def test_account_pages_pass_axe_and_are_photographed(chromium, ada_context, browser_instance,
                                                     people):
    second = chromium.new_context(base_url=browser_instance.base_url, user_agent=(
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"))
    sign_in(second, "ada").close()
    people["bea"].api.account_follow(people["ada"].id)
    check_and_photograph(ada_context, "/web/settings", "settings-profile")
    check_and_photograph(ada_context, "/web/settings/password", "settings-password")
    check_and_photograph(ada_context, "/web/settings/sessions", "settings-sessions")
    check_and_photograph(ada_context, "/@bea/followers", "followers")
    check_and_photograph(ada_context, "/@bea", "profile-signed-in")
    second.close()


def test_account_pages_do_not_overflow_a_narrow_phone(ada_context):
    page = ada_context.new_page()
    page.set_viewport_size({"width": 320, "height": 800})
    for path in ("/web/settings", "/web/settings/password", "/web/settings/sessions",
                 "/@bea/followers", "/@bea/following", "/@bea"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width} px wide"
    page.close()
