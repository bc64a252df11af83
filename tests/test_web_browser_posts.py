"""Editing posts and looking at their images in a real headless Chromium: "edit a post" from
the card's menu with the keyboard alone, the image viewer opened and moved through with the
keyboard (focus inside while open, back on the image link after), and axe plus photographs of
the edit page and of the open viewer, in light and dark."""

from __future__ import annotations

import re

import pytest
from test_web_browser_statuses import sign_in_by_keyboard

from browser_support import (
    WIDTHS,
    check_and_photograph,
    gets_focus,
    new_context,
    photograph,
    require_playwright,
    tab_to,
    violations,
)
from media_support import image_bytes, upload
from support import UserFactory

expect = require_playwright()


@pytest.fixture(scope="module")
def people(browser_instance):
    factory = UserFactory(browser_instance)
    return {"eda": factory.create("eda", display_name="Eda Edits"),
            "ivo": factory.create("ivo", display_name="Ivo Images")}


@pytest.fixture(scope="module")
def gallery(people):
    """Ivo's post with two images (one described, one not) and a poll."""
    ivo = people["ivo"]
    described = upload(ivo, image_bytes("PNG", (900, 600)),
                       description="A red square on a white wall").json()
    bare = upload(ivo, image_bytes("PNG", (600, 900), color=(30, 90, 200))).json()
    return ivo.http.post("/api/v1/statuses", json={
        "status": "Two pictures from the office", "visibility": "public",
        "media_ids": [described["id"], bare["id"]],
        "poll": {"options": ["Red", "Blue"], "expires_in": 86400}}).json()


def _path(status: dict) -> str:
    return "/" + status["url"].split("/", 3)[3]


def test_edit_a_post_with_the_keyboard_alone(chromium, browser_instance, people):
    status = people["eda"].api.status_post("Meeting at 10 in room 4B", visibility="public")
    context = new_context(chromium, browser_instance)
    page = sign_in_by_keyboard(context, "eda")
    page.goto(_path(status))
    card = 'article[aria-current="true"]'
    tab_to(page, f"{card} details.menu > summary")
    page.keyboard.press("Enter")
    tab_to(page, f'{card} details.menu a[href^="/web/statuses/{status["id"]}/edit"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Edit post")).to_be_visible()
    tab_to(page, "#text")
    page.keyboard.press("Control+a")
    page.keyboard.type("Meeting at 11 in room 4B")
    tab_to(page, "form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Your changes are saved.")
    expect(page.locator(card)).to_contain_text("Meeting at 11 in room 4B")
    expect(page.locator(f"{card} .meta .edited")).to_contain_text("edited")
    expect(page.locator("#edit-history")).to_contain_text("Meeting at 10 in room 4B")
    seen = people["eda"].api.status(status["id"])
    assert "Meeting at 11" in seen["content"] and seen["edited_at"]

    # Pinning from the same menu: the menu says what it will do, the profile shows it first.
    tab_to(page, f"{card} details.menu > summary")
    page.keyboard.press("Enter")
    tab_to(page, f"{card} details.menu form[action$='/pin'] button")
    page.keyboard.press("Enter")
    expect(page.locator(f"{card} details.menu form[action$='/unpin'] button")).to_have_text(
        "Unpin from my profile")
    assert people["eda"].api.status(status["id"])["pinned"]
    page.goto("/@eda")
    expect(page.locator("article.status").first).to_contain_text("Pinned")
    expect(page.locator("article.status").first.get_by_role("button", name="Unpin from my profile",
                                                             include_hidden=True)).to_have_count(1)
    context.close()


VIEWER_OPEN = re.compile(r"\bviewer-open\b")


def test_the_image_viewer_by_keyboard_returns_the_focus(chromium, browser_instance, people,
                                                        gallery):
    context = new_context(chromium, browser_instance)
    page = sign_in_by_keyboard(context, "eda")
    page.goto(_path(gallery))
    first = 'article[aria-current="true"] ul.media li:first-child > a'
    tab_to(page, first)
    page.keyboard.press("Enter")
    viewer = page.get_by_role("dialog", name="Image viewer")
    expect(viewer).to_be_visible()
    assert gets_focus(page, "dialog.viewer button")
    expect(viewer.locator("figcaption")).to_have_text("A red square on a white wall")
    expect(viewer.locator("img")).to_have_attribute("alt", "A red square on a white wall")
    expect(viewer).to_contain_text("Image 1 of 2")
    expect(page.locator("html")).to_have_class(VIEWER_OPEN)
    page.keyboard.press("ArrowRight")
    expect(viewer.locator("figcaption")).to_have_text("No description.")
    expect(viewer).to_contain_text("Image 2 of 2")
    page.keyboard.press("ArrowLeft")
    expect(viewer.locator("figcaption")).to_have_text("A red square on a white wall")
    # The page's shortcuts keep quiet while the viewer is open.
    page.keyboard.press("j")
    expect(viewer).to_be_visible()
    assert gets_focus(page, "dialog.viewer button")
    # The buttons do the same: Tab to "Next image", Enter.
    tab_to(page, "dialog.viewer .viewer-next", limit=5)
    page.keyboard.press("Enter")
    expect(viewer).to_contain_text("Image 2 of 2")
    page.keyboard.press("Escape")
    expect(page.locator("dialog.viewer[open]")).to_have_count(0)
    assert gets_focus(page, first)
    # The page's script takes the class off when the dialog's close event comes.
    expect(page.locator("html")).not_to_have_class(VIEWER_OPEN)
    # The close button closes it too, and the link of the second image gets its focus back.
    second = 'article[aria-current="true"] ul.media li:nth-child(2) > a'
    tab_to(page, second, limit=5)
    page.keyboard.press("Enter")
    expect(viewer.locator("figcaption")).to_have_text("No description.")
    page.keyboard.press("Enter")  # the focused close button
    expect(page.locator("dialog.viewer[open]")).to_have_count(0)
    assert gets_focus(page, second)
    context.close()


@pytest.mark.engine_independent
def test_edit_page_and_viewer_pass_axe_in_light_and_dark(chromium, browser_instance, people,
                                                        gallery):
    ivo = people["ivo"]
    ivo.http.put(f"/api/v1/statuses/{gallery['id']}", json={
        "status": "Two pictures from the office (edited)",
        "poll": {"options": ["Red", "Blue"], "expires_in": 86400}})
    edit_path = f"/web/statuses/{gallery['id']}/edit"
    dark = new_context(chromium, browser_instance, "ivo", color_scheme="dark")
    page = dark.new_page()
    page.goto(edit_path)
    expect(page.get_by_role("heading", name="Edit post")).to_be_visible()
    assert violations(page) == [], "edit page (dark)"
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        photograph(page, f"post-edit-dark-en-{width}.png", full_page=True)
    page.goto(_path(gallery))
    expect(page.locator("#edit-history")).to_be_visible()
    assert violations(page) == [], "post with its history (dark)"
    _photograph_viewer(page, "image-viewer-dark")
    page.close()
    light = new_context(chromium, browser_instance, "ivo")
    page = light.new_page()
    page.goto(_path(gallery))
    _photograph_viewer(page, "image-viewer-light")
    page.close()
    check_and_photograph(light, edit_path, "post-edit")
    check_and_photograph(light, _path(gallery), "post-edit-history")
    dark.close()
    light.close()


def _photograph_viewer(page, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.locator("article[aria-current='true'] ul.media li:first-child > a").click()
        viewer = page.locator("dialog.viewer[open]")
        expect(viewer).to_be_visible()
        assert violations(page) == [], f"{name} at {width}"
        box = viewer.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{name} fits {width}"
        photograph(page, f"{name}-{width}.png")
        page.keyboard.press("Escape")
        expect(viewer).to_have_count(0)
