"""An e-mail when an account signs in from a browser it never used, sent over real SMTP; and
turning it off: in the settings, or with the mail's one-click unsubscribe link (RFC 8058),
which works without a session and only for the person it was sent to."""

from __future__ import annotations

import httpx
import pytest
from mail_support import html_of, text_of

from web_support import WebClient, csrf_of

pytestmark = pytest.mark.usefixtures("quiet_server_log")
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")


def browser(server, user_agent: str = FIREFOX) -> WebClient:
    client = WebClient(server.base_url)
    client.http.headers["User-Agent"] = user_agent
    return client


def sign_out(web: WebClient) -> None:
    page = web.get("/web/settings")
    web.http.post("/web/sign-out", data={"csrf": csrf_of(page)})


def notices_wanted(web: WebClient) -> bool:
    return 'name="notify_new_sign_in" checked' in web.get("/web/settings/security").text


def test_a_sign_in_from_a_new_browser_is_told_by_e_mail(server, mailbox, new_user):
    alice = new_user(display_name="Alice Example")
    usual = browser(server)
    assert usual.sign_in(alice.email).url.path == "/web/home"
    sign_out(usual)
    # The same browser again is no news.
    assert usual.sign_in(alice.email).url.path == "/web/home"
    assert browser(server, SAFARI).sign_in(alice.email).url.path == "/web/home"

    message = mailbox.wait_for(alice.email)
    assert len(mailbox.to(alice.email)) == 1
    assert message["Subject"] == "A new sign-in to your account on Zwitscher"
    assert "Safari on iOS" in text_of(message) and f"@{alice.username}" in text_of(message)
    assert f"{server.base_url}/web/settings/sessions" in html_of(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith(f"<{server.base_url}/web/mail/unsubscribe?")


def test_the_one_click_link_turns_them_off_without_a_session(server, mailbox, new_user):
    bob = new_user()
    usual = browser(server)
    usual.sign_in(bob.email)
    browser(server, SAFARI).sign_in(bob.email)
    link = mailbox.wait_for(bob.email)["List-Unsubscribe"].strip("<>")

    # A link scanner's GET changes nothing; the page asks.
    page = httpx.get(link)
    assert page.status_code == 200 and "Turn these e-mails off" in page.text
    assert notices_wanted(usual)
    # What mail programs send: a POST, no cookies, no CSRF token.
    done = httpx.post(link, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "you will not get these e-mails any more" in done.text
    assert not notices_wanted(usual)

    browser(server).sign_in(bob.email)
    # Turned on again in the settings, the next new browser is told of: only that one.
    settings = usual.get("/web/settings/security")
    usual.http.post("/web/settings/security", data={
        "csrf": csrf_of(settings), "action": "notices", "notify_new_sign_in": "on"})
    assert notices_wanted(usual)
    browser(server, SAFARI).sign_in(bob.email)
    mailbox.wait_for(bob.email, count=2)
    assert len(mailbox.to(bob.email)) == 2


@pytest.mark.parametrize("token", [
    "", "1.new_sign_in.0000", "not-a-token", "1.password_reset.abc",
    "9" * 300, "1.new_sign_in." + "a" * 40,
])
def test_a_forged_unsubscribe_link_changes_nothing(server, new_user, token):
    carol = new_user()
    web = browser(server)
    web.sign_in(carol.email)
    forged = httpx.post(f"{server.base_url}/web/mail/unsubscribe", params={"token": token})
    assert forged.status_code == 404
    assert notices_wanted(web)


def test_another_persons_link_does_not_work_for_me(server, mailbox, new_user):
    dan, erin = new_user(), new_user()
    browser(server).sign_in(dan.email)
    browser(server, SAFARI).sign_in(dan.email)
    link = mailbox.wait_for(dan.email)["List-Unsubscribe"].strip("<>")
    erin_web = browser(server)
    erin_web.sign_in(erin.email)
    # Dan's link names Dan: another person's id in it breaks its signature.
    dan_id, kind, signature = link.split("token=")[1].split(".")
    swapped = httpx.post(f"{server.base_url}/web/mail/unsubscribe",
                         params={"token": f"{int(dan_id) + 1}.{kind}.{signature}"})
    assert swapped.status_code == 404
    assert notices_wanted(erin_web)
