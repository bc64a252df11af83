"""The web interface in a real headless Chromium against a real server.

One fresh instance for the module: its owner is created by the first-run page, a follower
watches the owner's post arrive live, every page built so far passes axe-core (no serious or
critical violations) and is photographed at 375 px and 1280 px in German and English into
`tests/artifacts/`.
"""

from __future__ import annotations

import pytest

from browser_support import check_and_photograph, require_playwright, sign_in, violations
from support import PASSWORD, UserFactory

expect = require_playwright()


@pytest.fixture(scope="module")
def owner_context(browser_contexts):
    return browser_contexts()


def test_first_run_setup_creates_the_owner_and_signs_them_in(owner_context):
    page = owner_context.new_page()
    page.goto("/web")
    expect(page).to_have_url(f"{page.url.split('/web')[0]}/web/setup")
    assert violations(page) == []
    page.get_by_label("Your name").fill("Olivia Owner")
    page.get_by_label("Username").fill("olivia")
    page.get_by_label("E-mail address").fill("olivia@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="New post")).to_be_visible()
    page.close()


def test_sign_out_and_sign_in_again(owner_context):
    page = owner_context.new_page()
    page.goto("/web/home")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.goto("/web/home").url.endswith("/web/sign-in")
    page.get_by_label("E-mail address or username").fill("olivia")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("password is wrong")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Home timeline")).to_be_visible()
    page.close()


def test_a_follower_sees_a_new_post_arrive_live_and_hears_of_it(chromium, owner_context,
                                                                browser_instance):
    follower = UserFactory(browser_instance).create("fiona", display_name="Fiona")
    owner_id = follower.api.account_lookup("olivia")["id"]
    follower.api.account_follow(owner_id)
    context = chromium.new_context(base_url=browser_instance.base_url, locale="en-GB")
    watching = sign_in(context, "fiona")

    posting = owner_context.new_page()
    posting.goto("/web/home")
    text = posting.get_by_label("What do you want to say?")
    text.fill("Live from the <browser>")
    expect(posting.locator("#counter")).to_have_text("477 characters left")
    posting.get_by_label("Who can see this post?").select_option("private")
    posting.get_by_role("button", name="Publish").click()
    expect(posting.locator("#feed")).to_contain_text("Live from the <browser>")

    expect(watching.locator("#feed article").first).to_contain_text("Live from the <browser>",
                                                                     timeout=15000)
    expect(watching.locator("#live")).to_have_text("New post from Olivia Owner")
    assert watching.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    watching.get_by_role("link", name="Reply to Olivia Owner").first.click()
    expect(watching.get_by_label("What do you want to say?")).to_have_value("@olivia ")
    posting.close()
    context.close()


def test_a_form_posted_without_its_token_is_refused(owner_context):
    page = owner_context.new_page()
    page.goto("/web/home")
    response = page.request.post("/web/statuses", form={"text": "no token"})
    assert response.status == 403
    page.goto("/web/home")
    expect(page.locator("#feed")).not_to_contain_text("no token")
    page.close()


@pytest.mark.engine_independent
def test_pages_pass_axe_and_are_photographed_in_both_languages(chromium, owner_context,
                                                               browser_instance):
    posting = owner_context.new_page()
    posting.goto("/web/home")
    posting.get_by_label("What do you want to say?").fill("Hello, world! Hallo, Welt!")
    posting.locator("#compose summary", has_text="Content warning").click()
    posting.get_by_label("Content warning (optional)").fill("Greetings")
    posting.get_by_label("Who can see this post?").select_option("public")
    posting.get_by_role("button", name="Publish").click()
    posting.goto("/@olivia")
    public_status = posting.locator("a.time").first.get_attribute("href")
    posting.close()
    check_and_photograph(owner_context, "/web/home", "home")
    check_and_photograph(owner_context, "/@olivia", "profile")
    anonymous = chromium.new_context(base_url=browser_instance.base_url)
    check_and_photograph(anonymous, "/web/sign-in", "sign-in")
    check_and_photograph(anonymous, "/@olivia", "public-profile")
    check_and_photograph(anonymous, public_status, "public-status")
    anonymous.close()
