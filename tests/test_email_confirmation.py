"""Addresses people show to be theirs: a sign-up through an app (Mastodon.py) waits for the
link sent over SMTP, the app may send it again to a corrected address, the web sign-in points
to a new link, and moving to a new address takes effect when its link is followed."""

from __future__ import annotations

import secrets

import httpx
import pytest
from mail_support import link_in, text_of
from mastodon import Mastodon, MastodonAPIError

from support import PASSWORD
from web_support import WebClient, browser_at_own_address, csrf_of

UNCONFIRMED = "Your login is missing a confirmed e-mail address"


@pytest.fixture
def web(server):
    client = browser_at_own_address(server.base_url)
    yield client
    client.close()


def sign_up(server, users, **changes) -> tuple[str, str, Mastodon]:
    """Sign up with Mastodon.py as an app does: (username, address, the app's client)."""
    username = f"c{secrets.token_hex(5)}"
    email = changes.pop("email", f"{username}@example.org")
    app = Mastodon(client_id=users.client_id, client_secret=users.client_secret,
                   api_base_url=server.base_url)
    app.create_account(username, PASSWORD, email, agreement=True, locale="en")
    return username, email, app


def resend(server, token: str, **data) -> httpx.Response:
    return httpx.post(f"{server.base_url}/api/v1/emails/confirmations", data=data,
                      headers={"Authorization": f"Bearer {token}"})


def test_a_sign_up_is_confirmed_by_the_e_mailed_link(server, users, mailbox, web):
    username, email, app = sign_up(server, users)
    with pytest.raises(MastodonAPIError, match=UNCONFIRMED):
        app.account_verify_credentials()
    message = mailbox.confirmation_for(email)
    assert message["Subject"] == "Confirm your e-mail address on Zwitscher"
    assert f"@{username}" in text_of(message)
    link = link_in(message)
    assert link.startswith(f"{server.base_url}/web/confirm?token=")
    done = web.get(link)
    assert done.url.path == "/web/sign-in" and "Your e-mail address is confirmed" in done.text
    assert app.account_verify_credentials()["username"] == username
    # A link works once.
    again = web.get(link)
    assert again.status_code == 422 and "not valid any more" in again.text


def test_the_app_sends_the_link_again_to_a_corrected_address(server, users, mailbox, web,
                                                             new_user):
    username, typo, app = sign_up(server, users, email=f"typo{secrets.token_hex(4)}@exmaple.org")
    first = link_in(mailbox.confirmation_for(typo))
    # Only the app the person signed up with may ask, and only for a free, valid address.
    other = new_user()
    assert resend(server, other.token).status_code == 403
    assert resend(server, app.access_token, email="not an address").status_code == 422
    assert resend(server, app.access_token, email=other.email).status_code == 422
    right = f"{username}@example.org"
    sent = resend(server, app.access_token, email=right)
    assert sent.status_code == 200 and sent.json() == {}
    # The link to the mistyped address stopped working; the new one confirms the right one.
    assert web.get(first).status_code == 422
    assert web.get(link_in(mailbox.confirmation_for(right))).url.path == "/web/sign-in"
    assert web.sign_in(right).url.path == "/web/home"
    refused = resend(server, app.access_token)
    assert refused.status_code == 403
    assert refused.json() == {
        "error": "This method is only available while the e-mail is awaiting confirmation"}


def test_the_web_sign_in_waits_for_the_address_and_sends_a_new_link(server, users, mailbox,
                                                                    web):
    username, email, _ = sign_up(server, users)
    refused = web.sign_in(username)
    assert refused.status_code == 403
    assert "not confirmed yet" in refused.text and 'href="/web/confirm/again"' in refused.text
    # The same answer for an address nobody has; a new link for hers.
    unknown = web.submit("/web/confirm/again", "/web/confirm/again",
                         {"email": f"nobody{secrets.token_hex(4)}@example.org"})
    asked = web.submit("/web/confirm/again", "/web/confirm/again", {"email": email})
    assert unknown.status_code == asked.status_code == 200
    assert "If an account here waits for" in asked.text
    assert web.get(link_in(mailbox.confirmation_for(email, count=2))).url.path == "/web/sign-in"
    assert web.sign_in(username).url.path == "/web/home"


def test_moving_to_a_new_address_takes_effect_with_its_link(server, mailbox, web, new_user):
    nina, taken = new_user(), new_user()
    web.sign_in(nina.email)
    page = web.get("/web/settings/password")
    assert f"Your address: {nina.email}" in page.text
    new_email = f"nina{secrets.token_hex(4)}@example.org"

    def ask(email: str, password: str) -> httpx.Response:
        return web.http.post("/web/settings/email", data={
            "csrf": csrf_of(web.get("/web/settings/password")), "email": email,
            "current_password": password})

    assert ask(new_email, "wrong password").status_code == 422
    assert ask(taken.email, PASSWORD).status_code == 422
    asked = ask(new_email, PASSWORD)
    assert asked.status_code == 200
    assert f"We have sent a link to {new_email}" in asked.text
    notice = mailbox.wait_for(nina.email)
    assert notice["Subject"] == "Your e-mail address on Zwitscher is being changed"
    assert new_email in text_of(notice)
    # Until the link is followed, the address is the old one.
    assert WebClient(server.base_url).sign_in(new_email).status_code == 401
    confirmed = web.get(link_in(mailbox.confirmation_for(new_email)))
    assert confirmed.url.path == "/web/settings/password"
    assert f"Your address: {new_email}" in confirmed.text
    assert WebClient(server.base_url).sign_in(new_email).url.path == "/web/home"
    assert WebClient(server.base_url).sign_in(nina.email).status_code == 401
