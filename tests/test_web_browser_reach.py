"""Reach in a real headless Chromium: the service worker registers at scope `/` from the push
settings, which say what this browser can do (with JavaScript and without); the settings,
the directory and the "Who to follow" box with the keyboard alone; axe (light and dark) and
photographs of the push settings, the directory and the home page with its box.

What this does not cover: a real subscription. Chromium's `PushManager.subscribe` needs its
push service on the internet, which this machine cannot reach, so turning on ends in the
page's "could not be turned on, nothing was changed" here, and that is what is checked.
Subscribing, changing, turning off and the encrypted delivery are proved at the HTTP level
against a local push service in tests/test_web_push.py.
"""

from __future__ import annotations

import base64
import json
import os

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from browser_support import (
    check_and_photograph,
    photograph,
    require_playwright,
    tab_to,
    violations,
)
from support import UserFactory

expect = require_playwright()

PUSH = "/web/settings/notifications"


@pytest.fixture(scope="module")
def people(browser_instance):
    factory = UserFactory(browser_instance)
    found = {name: factory.create(name, display_name=display) for name, display in (
        ("rosa", "Rosa Reach"), ("sam", "Sam Shift"), ("tess", "Tess Tools"),
        ("uli", "Uli Unlisted"), ("vera", "Vera Depot"), ("wim", "Wim Warehouse"))}
    found["rosa"].api.account_follow(found["sam"].id)
    # Friends of a friend: suggested to Rosa.
    found["sam"].api.account_follow(found["tess"].id)
    found["sam"].api.account_follow(found["wim"].id)
    found["uli"].api.account_update_credentials(discoverable=False)
    found["vera"].api.account_update_credentials(note="Runs the night shift at the depot.")
    found["vera"].api.status_post("Forklift 3 is back in service", visibility="public")
    return found


def _scope(page) -> str:
    return page.evaluate("""async () => {
        const registration = await navigator.serviceWorker.ready;
        return registration.scope;
    }""")


def test_the_service_worker_registers_at_the_root(browser_contexts, browser_instance, people):
    page = browser_contexts("rosa").new_page()
    page.goto(PUSH)
    assert _scope(page) == f"{browser_instance.base_url}/"
    script = page.evaluate("""async () => {
        const registration = await navigator.serviceWorker.getRegistration("/");
        return registration.active.scriptURL;
    }""")
    assert script == f"{browser_instance.base_url}/sw.js"
    expect(page.get_by_text("Notifications are off for this browser.")).to_be_visible()


def test_turning_on_by_keyboard_says_plainly_when_it_fails(browser_contexts, people):
    context = browser_contexts("rosa", permissions=["notifications"])
    page = context.new_page()
    page.goto("/web/settings")
    tab_to(page, f'.settings-nav a[href="{PUSH}"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Push notifications", level=1)).to_be_visible()
    turn_on = page.get_by_role("button", name="Turn on notifications on this device")
    expect(turn_on).to_be_visible()
    expect(page.locator("#push-support")).to_be_hidden()
    tab_to(page, 'input[name="alert"][value="favourite"]')
    page.keyboard.press("Space")
    expect(page.locator('input[name="alert"][value="favourite"]')).not_to_be_checked()
    tab_to(page, "#push-on")
    page.keyboard.press("Enter")
    # No push service is reachable from here: the subscription fails, and the page says so.
    expect(page.get_by_role("alert")).to_contain_text(
        "Notifications could not be turned on. Nothing was changed.", timeout=30_000)
    page.reload()
    expect(page.get_by_text("Notifications are off for this browser.")).to_be_visible()


def test_blocked_notifications_and_no_javascript_are_explained(browser_contexts, people):
    # A context given an empty list of permissions answers as a browser whose person
    # blocked notifications for the site.
    page = browser_contexts("rosa", permissions=[]).new_page()
    page.goto(PUSH)
    assert page.evaluate("Notification.permission") == "denied"
    expect(page.locator("#push-support")).to_contain_text("blocked for this site")
    expect(page.locator("#push-on")).to_be_hidden()
    without_js = browser_contexts("rosa", java_script_enabled=False).new_page()
    without_js.goto(PUSH)
    expect(without_js.locator("#push-support")).to_contain_text(
        "turning them on needs JavaScript")
    expect(without_js.locator("#push-on")).to_be_hidden()


def _browser_keys() -> dict:
    point = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return {"p256dh": base64.urlsafe_b64encode(point).rstrip(b"=").decode(),
            "auth": base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()}


def test_a_subscription_the_browser_lost_is_shown_and_turned_off_by_keyboard(
        browser_contexts, people):
    page = browser_contexts("rosa").new_page()
    page.goto(PUSH)
    # The server holds a subscription for this session that the browser itself does not
    # (as after clearing its data): made through the page's own route, never delivered to.
    answer = page.request.post("/web/push/subscription", headers={
        "Content-Type": "application/json"}, data=json.dumps({
            "csrf": page.locator('input[name="csrf"]').first.input_value(),
            "subscription": {"endpoint": "https://push.example.org/rosa",
                             "keys": _browser_keys()},
            "alerts": ["mention"], "policy": "followed"}))
    assert answer.status == 200, answer.text()
    page.reload()
    expect(page.get_by_text("Notifications are on for this browser.")).to_be_visible()
    expect(page.get_by_text("delivered through push.example.org")).to_be_visible()
    expect(page.locator("#push-support")).to_contain_text("no longer holds its subscription")
    expect(page.locator("#push-policy")).to_have_value("followed")
    assert violations(page) == []
    photograph(page, "reach-push-settings-lost-en-1280.png", full_page=True)
    tab_to(page, "#push-off button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Notifications are off for this browser.")
    expect(page.locator("#push-off")).to_have_count(0)


def test_the_directory_and_a_suggestion_with_the_keyboard_alone(browser_contexts, people):
    tess, vera = people["tess"], people["vera"]
    page = browser_contexts("rosa").new_page()
    page.goto("/web/home")
    box = page.locator(".who-to-follow-side")
    expect(box.get_by_role("heading", name="Who to follow")).to_be_visible()
    expect(box).to_contain_text("Tess Tools")
    expect(page.locator(".who-to-follow-end")).to_be_hidden()
    tab_to(page, f'.who-to-follow-side form[action="/web/suggestions/{tess.id}/dismiss"] button')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Home timeline")).to_be_visible()
    expect(page.locator(f'form[action="/web/suggestions/{tess.id}/dismiss"]')).to_have_count(0)

    tab_to(page, '.nav-rest a[href="/web/directory"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Directory", level=1)).to_be_visible()
    people_list = page.locator("ul.people")
    expect(people_list).to_contain_text("Vera Depot")
    expect(people_list).to_contain_text("Runs the night shift at the depot.")
    expect(people_list).not_to_contain_text("Uli Unlisted")
    # The most recently active first: Vera posted last.
    expect(people_list.locator("li.person").first).to_contain_text("Vera Depot")
    tab_to(page, 'nav.switch a[href="/web/directory?order=new"]')
    page.keyboard.press("Enter")
    expect(page.locator('nav.switch a[aria-current="page"]')).to_have_text("New here")
    tab_to(page, f'form[action="/web/accounts/{vera.id}/follow"] button')
    page.keyboard.press("Enter")
    expect(page.locator(f'form[action="/web/accounts/{vera.id}/unfollow"]')).to_be_visible()
    assert page.url.endswith("/web/directory?order=new")
    assert people["rosa"].api.account_relationships(vera.id)[0]["following"] is True


@pytest.mark.engine_independent
def test_pages_pass_axe_in_light_and_dark_and_are_photographed(browser_contexts, people):
    pages = {"push-settings": PUSH, "directory": "/web/directory", "home-who-to-follow":
             "/web/home"}
    # Both contexts signed in before photographing switches Rosa's language.
    light = browser_contexts("rosa")
    dark = browser_contexts("rosa", color_scheme="dark")
    phone = browser_contexts("rosa", viewport={"width": 375, "height": 800})
    page = phone.new_page()
    page.goto("/web/home")
    expect(page.locator(".who-to-follow-end")).to_be_visible()
    expect(page.locator(".who-to-follow-side")).to_be_hidden()
    for path in pages.values():
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    for name, path in pages.items():
        page = dark.new_page()
        page.goto(path)
        assert violations(page) == [], f"{name} (dark)"
        page.close()
        check_and_photograph(light, path, f"reach-{name}")
        check_and_photograph(dark, path, f"reach-{name}-dark")
