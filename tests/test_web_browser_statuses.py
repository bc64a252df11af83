"""Statuses in a real headless Chromium: a whole post-and-reply round with the keyboard alone
(Tab, Enter, typing and the shortcuts; no mouse), shortcuts that keep quiet while typing, the
help dialog, a favourite from a card without reload, and axe plus photographs of a
conversation, a card with image and poll, and the help dialog."""

from __future__ import annotations

import pytest

from browser_support import (
    WIDTHS,
    check_and_photograph,
    gets_focus,
    new_context,
    photograph,
    require_playwright,
    switch_language,
    tab_to,
    violations,
)
from media_support import image_bytes, upload
from support import PASSWORD, UserFactory

expect = require_playwright()


@pytest.fixture(scope="module")
def people(browser_instance):
    factory = UserFactory(browser_instance)
    return {"kim": factory.create("kim", display_name="Kim Keys"),
            "lou": factory.create("lou", display_name="Lou Lens")}


@pytest.fixture
def context(chromium, browser_instance):
    context = new_context(chromium, browser_instance)
    yield context
    context.close()


def sign_in_by_keyboard(context, login: str):
    page = context.new_page()
    page.goto("/web/sign-in")
    tab_to(page, "#login")
    page.keyboard.type(login)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Home timeline")).to_be_visible()
    return page


def test_a_post_and_reply_round_with_the_keyboard_alone(context, people):
    page = sign_in_by_keyboard(context, "kim")
    page.keyboard.press("n")
    assert gets_focus(page, "#text")
    # While typing, the shortcut keys are just letters.
    page.keyboard.type("Typed by keyboard: j k n ?")
    expect(page.locator("#text")).to_have_value("Typed by keyboard: j k n ?")
    assert gets_focus(page, "#text")
    expect(page.locator("#shortcuts")).not_to_be_visible()
    tab_to(page, "#compose button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#feed article").first).to_contain_text("Typed by keyboard")

    page.keyboard.press("j")
    assert gets_focus(page, "article.status")
    assert "Typed by keyboard" in page.evaluate("document.activeElement.textContent")
    tab_to(page, "article.status a.time")
    page.keyboard.press("Enter")
    expect(page.locator('article[aria-current="true"]')).to_contain_text("Typed by keyboard")
    status_path = page.url.split(page.url.split("/@")[0])[1]

    page.keyboard.press("n")
    assert gets_focus(page, "#text")
    # Nobody mentions themselves in a reply to their own post.
    expect(page.locator("#text")).to_have_value("")
    page.keyboard.type("and my own answer")
    tab_to(page, "#compose button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".thread.descendants")).to_contain_text("and my own answer")
    assert page.url.endswith(status_path)
    replies = people["kim"].api.account_statuses(people["kim"].id)
    assert replies[0]["in_reply_to_id"] == replies[1]["id"]

    page.keyboard.press("k")
    assert gets_focus(page, 'article[aria-current="true"]')
    page.keyboard.press("?")
    expect(page.locator("#shortcuts")).to_be_visible()
    expect(page.locator("#shortcuts")).to_contain_text("Go to the next post")
    page.keyboard.press("Escape")
    expect(page.locator("#shortcuts")).not_to_be_visible()
    assert gets_focus(page, 'article[aria-current="true"]')
    # With a modifier the keys belong to the browser, not to us.
    page.keyboard.press("Control+j")
    assert gets_focus(page, 'article[aria-current="true"]')


def test_n_on_a_page_without_compose_goes_to_the_compose_form(context, people):
    page = sign_in_by_keyboard(context, "kim")
    page.goto("/@lou")
    page.keyboard.press("n")
    expect(page).to_have_url(page.url.split("/@")[0] + "/web/home#compose")
    expect(page.locator("#text")).to_be_focused()


def test_favourite_from_a_card_without_reloading(context, people):
    status = people["lou"].api.status_post("Star me, Kim", visibility="public")
    page = sign_in_by_keyboard(context, "kim")
    page.goto(status["url"])
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Favourite post by Lou Lens").click()
    button = page.get_by_role("button", name="Favourite post by Lou Lens", pressed=True)
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_be_focused()
    expect(button).to_have_accessible_name("Favourite post by Lou Lens, 1 favourite")
    expect(button.locator(".count")).to_have_text("1")
    assert page.evaluate("window.notReloaded") is True
    assert people["kim"].api.status(status["id"])["favourited"]


@pytest.mark.engine_independent
def test_pages_pass_axe_and_are_photographed(chromium, context, browser_instance, people):
    lou, kim = people["lou"], people["kim"]
    media = upload(lou, image_bytes("PNG", (600, 400)), description="A red square").json()
    with_both = lou.http.post("/api/v1/statuses", json={
        "status": "Which colour do you like? #colours", "media_ids": [media["id"]],
        "visibility": "public",
        "poll": {"options": ["Red", "Blue", "Green"], "expires_in": 86400}}).json()
    root = lou.api.status_post("Shall we talk about keyboards?", visibility="public")
    answer = kim.api.status_post("@lou Yes, all day long.", in_reply_to_id=root["id"])
    kim.api.status_post("@kim Really?", in_reply_to_id=answer["id"], visibility="public")
    lou.api.status_post("@kim Mechanical ones.", in_reply_to_id=answer["id"])
    kim.api.status_favourite(root["id"])

    page = sign_in_by_keyboard(context, "kim")
    page.close()
    path = "/" + root["url"].split("/", 3)[3]
    check_and_photograph(context, path, "status-conversation")
    check_and_photograph(context, "/" + with_both["url"].split("/", 3)[3], "status-image-poll")
    anonymous = chromium.new_context(base_url=browser_instance.base_url)
    check_and_photograph(anonymous, path, "status-conversation-anonymous")
    anonymous.close()

    page = context.new_page()
    for language, opener in (("en", "Keyboard shortcuts"), ("de", "Tastenkürzel")):
        page.goto(path)
        switch_language(page, language)
        page.get_by_role("button", name=opener).click()
        expect(page.locator("#shortcuts")).to_be_visible()
        assert violations(page) == [], language
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            photograph(page, f"shortcuts-help-{language}-{width}.png")
        page.get_by_role("button", name="Close" if language == "en" else "Schließen").click()
        expect(page.locator("#shortcuts")).not_to_be_visible()
        expect(page.get_by_role("button", name=opener)).to_be_focused()
    page.close()


@pytest.mark.engine_independent
def test_compose_with_images_and_poll_and_poll_results_pass_axe(chromium, browser_instance, people):
    lou = people["lou"]
    status = lou.http.post("/api/v1/statuses", json={
        "status": "Results, please", "visibility": "public",
        "poll": {"options": ["Yes", "No"], "expires_in": 86400}}).json()
    people["kim"].api.poll_vote(status["poll"]["id"], [0])
    context = chromium.new_context(base_url=browser_instance.base_url, locale="en-GB")
    sign_in_by_keyboard(context, "lou").close()
    check_and_photograph(context, "/" + status["url"].split("/", 3)[3], "status-poll-results")
    page = context.new_page()
    page.goto("/web/home")
    for summary in page.locator("#compose details.more > summary").all():
        summary.click()
    expect(page.locator("#poll_option_1")).to_be_visible()
    expect(page.locator("#description_1")).to_be_visible()
    assert violations(page) == []
    language = page.locator("html").get_attribute("lang")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        photograph(page, f"compose-open-{language}-{width}.png", full_page=True)
    context.close()
