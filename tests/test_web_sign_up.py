"""The sign-up page in each registration mode: an account waits for its address to be
confirmed by the e-mailed link, then signs in; with approval, an admin's yes comes too; with
invitations, a code; closed, nothing. Bad input keeps the form and makes nothing."""

from __future__ import annotations

import email
import email.policy
import secrets
import time
from pathlib import Path

import pytest
from mail_support import link_in

from support import PASSWORD, fresh_instance
from web_support import WebClient, browser_at_own_address


def browser(server) -> WebClient:
    # Sign-ups are limited per network address.
    return browser_at_own_address(server.base_url)


def sign_up(web: WebClient, **fields):
    name = fields.pop("username", f"s{secrets.token_hex(5)}")
    values = {"username": name, "email": f"{name}@example.org", "password": PASSWORD,
              "agreement": "on", **fields}
    return name, web.submit("/web/sign-up", "/web/sign-up", values)


def test_a_person_signs_up_confirms_the_address_and_signs_in(server, mailbox):
    web = browser(server)
    assert 'href="/web/sign-up"' in web.get("/web/sign-in").text
    name, done = sign_up(web, display_name="Sina Signup")
    assert done.status_code == 200 and f"we have sent a link to {name}@example.org" in done.text
    # Not before the address is confirmed.
    assert web.sign_in(name).status_code == 403
    web.get(link_in(mailbox.confirmation_for(f"{name}@example.org")))
    home = web.sign_in(name)
    assert home.url.path == "/web/home" and f"@{name}" in home.text


def test_bad_sign_ups_keep_the_form_and_make_nothing(server, new_user):
    web = browser(server)
    taken = new_user().username
    for fields, problem in [({"username": taken}, "taken"),
                            ({"password": "short"}, "between 8 and 72"),
                            ({"agreement": ""}, "Agreement must be accepted"),
                            ({"username": "no spaces please"}, "Username must contain"),
                            ({"email": "not-an-address"}, "Email is invalid")]:
        name, refused = sign_up(web, **fields)
        assert refused.status_code == 422 and problem in refused.text, fields
        assert 'name="username"' in refused.text
        if name != taken:
            lookup = web.get("/api/v1/accounts/lookup", params={"acct": name})
            assert lookup.status_code == 404


def confirmation_link(server, address: str) -> str:
    """The link in the .eml file the instance (without SMTP) wrote for `address`."""
    folder = Path(server.env["ZWITSCHER_DATA_DIR"]) / "mail"
    for _ in range(200):
        for path in folder.glob("*.eml"):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if message["To"].addresses[0].addr_spec == address:
                return link_in(message)
        time.sleep(0.05)
    raise AssertionError(f"no e-mail to {address}")


@pytest.fixture(scope="module")
def approval(tmp_path_factory):
    with fresh_instance(tmp_path_factory.mktemp("approval"),
                        ZWITSCHER_REGISTRATIONS="approval") as running:
        yield running


def test_with_approval_the_reason_is_asked_and_an_admin_says_yes(approval):
    web = browser(approval)
    assert "Why do you want to join?" in web.get("/web/sign-up").text
    _, without = sign_up(web)
    assert without.status_code == 422
    name, done = sign_up(web, reason="I run the press office in Kassel")
    assert "An admin looks at your request" in done.text
    web.get(confirmation_link(approval, f"{name}@example.org"))
    pending = web.sign_in(name)
    assert pending.status_code == 403 and "pending approval" in pending.text
    approval.cli("accounts", "approve", name)
    assert web.sign_in(name).url.path == "/web/home"


def test_closed_registrations_offer_no_form(tmp_path_factory):
    with fresh_instance(tmp_path_factory.mktemp("closed"),
                        ZWITSCHER_REGISTRATIONS="closed") as closed:
        web = browser(closed)
        assert 'href="/web/sign-up"' not in web.get("/web/sign-in").text
        page = web.get("/web/sign-up")
        assert "does not take sign-ups" in page.text and 'name="username"' not in page.text
