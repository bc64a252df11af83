"""Security keys and passkeys (WebAuthn) in a real Chromium, whose virtual authenticator (the
DevTools WebAuthn domain) stands in for a key or a phone: added from the settings, used as the
second step after a password, and alone as a passkey; a signed answer counts once, and a
forged one never."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import pyotp
import pytest

from browser_support import launch, require_chromium
from support import PASSWORD, free_port, fresh_instance
from web_support import WebClient, csrf_of

require_chromium()
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    """At http://localhost (a WebAuthn relying party must have a host name, not an IP)."""
    port = free_port()
    with fresh_instance(tmp_path_factory.mktemp("keys"), port=port,
                        ZWITSCHER_BASE_URL=f"http://localhost:{port}") as running:
        running.origin = f"http://localhost:{port}"
        running.cli("accounts", "create", "kira", "--email", "kira@example.org",
                    "--password", PASSWORD)
        yield running
        assert "Traceback" not in running.log_text()


@pytest.fixture(scope="module")
def page(instance):
    with sync_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        context = chromium.new_context(base_url=instance.origin, locale="en-GB")
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        devtools.send("WebAuthn.enable", {"enableUI": False})
        devtools.send("WebAuthn.addVirtualAuthenticator", {"options": {
            "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
            "hasUserVerification": True, "isUserVerified": True,
            "automaticPresenceSimulation": True}})
        yield page
        chromium.close()


def sign_in_with_password(page) -> None:
    page.goto("/web/sign-in")
    page.fill("#login", "kira")
    page.fill("#password", PASSWORD)
    page.click("form[action='/web/sign-in'] button[type=submit]")


def sign_out(page) -> None:
    page.context.clear_cookies()


def test_a_key_is_added_then_signs_in_after_the_password_and_alone(page):
    expect = sync_api.expect
    sign_in_with_password(page)
    page.goto("/web/settings/security")
    # Keys come after the authenticator app, whose recovery codes cover a lost key.
    assert page.locator("#keys-heading").count() == 0
    secret = page.locator("input[name=secret]").get_attribute("value")
    page.fill("#code", pyotp.TOTP(secret).now())
    page.fill("#password", PASSWORD)
    page.click("button[value=enable]")
    expect(page.locator("#keys-heading")).to_be_visible()
    page.fill("#key_name", "Kira's laptop")
    page.fill("#key_password", PASSWORD)
    page.click("text=Add a security key")
    expect(page.locator(".notice")).to_contain_text("The security key is added")
    expect(page.locator(".security-keys")).to_contain_text("Kira's laptop")

    sign_out(page)
    sign_in_with_password(page)
    expect(page).to_have_url(re.compile("/web/sign-in/code$"))
    page.click("text=Use your security key")
    expect(page).to_have_url(re.compile("/web/home$"))
    page.goto("/web/settings/sessions")
    expect(page.locator(".sessions")).to_contain_text("with a password and a security key")

    sign_out(page)
    page.goto("/web/sign-in")
    page.click("text=Use a passkey")
    expect(page).to_have_url(re.compile("/web/home$"))
    page.goto("/web/settings/sessions")
    expect(page.locator(".sessions .current")).to_contain_text("with a passkey")


def test_a_signed_answer_counts_once_and_a_forged_one_never(page, instance):
    expect = sync_api.expect
    sent: list[str] = []
    page.route("**/web/sign-in/passkey", lambda route: (
        sent.append(route.request.post_data or ""), route.continue_()))
    sign_out(page)
    page.goto("/web/sign-in")
    page.click("text=Use a passkey")
    expect(page).to_have_url(re.compile("/web/home$"))
    page.unroute("**/web/sign-in/passkey")
    captured = parse_qs(sent[0])["credential"][0]
    # The same signed answer again, from another browser (someone who caught it), even after
    # asking for a challenge of its own: a challenge is the browser's and counts once.
    thief = WebClient(instance.base_url)
    form = thief.get("/web/sign-in")
    thief.http.post("/web/sign-in/passkey/options", data={"csrf": csrf_of(form)})
    replayed = thief.http.post("/web/sign-in/passkey", data={"csrf": csrf_of(form),
                                                            "credential": captured})
    assert replayed.status_code == 401
    assert "The security key was not accepted" in replayed.text
    # An answer nobody's key signed.
    web = WebClient(instance.base_url)
    form = web.get("/web/sign-in")
    web.http.post("/web/sign-in/passkey/options", data={"csrf": csrf_of(form)})
    forged = web.http.post("/web/sign-in/passkey", data={
        "csrf": csrf_of(form), "credential": '{"id": "AAAA", "rawId": "AAAA", "type": '
        '"public-key", "response": {"clientDataJSON": "e30", "authenticatorData": "AA", '
        '"signature": "AA"}}'})
    assert forged.status_code == 401 and "was not accepted" in forged.text
    junk = web.http.post("/web/sign-in/passkey", data={"csrf": csrf_of(form),
                                                       "credential": "x" * 50_000})
    assert junk.status_code == 401
    assert web.get("/web/home").url.path == "/web/sign-in"
