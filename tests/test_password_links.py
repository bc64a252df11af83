"""Forgotten passwords and first passwords, by e-mailed link: the web pages, the mail that
really leaves over SMTP, and what a link may not do (be reused, point elsewhere, reveal who
has an account, flood a mailbox)."""

from __future__ import annotations

import secrets

import httpx
import pytest
from mail_support import html_of, link_in, text_of

from support import PASSWORD
from web_support import WebClient, browser_at_own_address, csrf_of

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def web(server):
    client = browser_at_own_address(server.base_url)
    yield client
    client.close()


def ask_for_reset(web, email: str) -> httpx.Response:
    return web.submit("/web/password/forgot", "/web/password/forgot", {"email": email})


def password_grant(server, users, login: str, password: str) -> int:
    return httpx.post(f"{server.base_url}/oauth/token", data={
        "grant_type": "password", "username": login, "password": password,
        "client_id": users.client_id, "client_secret": users.client_secret,
        "scope": "read"}).status_code


def choose_password(web, link: str, password: str) -> httpx.Response:
    page = web.get(link)
    assert page.status_code == 200, page.text
    token = link.split("token=")[1]
    return web.submit(link, "/web/password", {"token": token, "password": password})


def test_a_forgotten_password_is_reset_by_the_e_mailed_link(server, users, mailbox, web,
                                                            new_user):
    alice = new_user(display_name="Alice Example")
    answer = ask_for_reset(web, alice.email.upper())
    assert answer.status_code == 200
    assert "we have sent it a link" in answer.text

    message = mailbox.wait_for(alice.email)
    assert message["Subject"] == "Reset your password on Zwitscher"
    assert message["To"].addresses[0].display_name == "Alice Example"
    assert message["Message-ID"] and message["Auto-Submitted"] == "auto-generated"
    assert f"@{alice.username}" in text_of(message)
    link = link_in(message)
    assert link.startswith(f"{server.base_url}/web/password?token=")
    assert link in html_of(message)

    page = web.get(link)
    assert f"@{alice.username}" in page.text
    done = choose_password(web, link, NEW_PASSWORD)
    assert done.url.path == "/web/sign-in" and "Your password is set" in done.text
    assert password_grant(server, users, alice.email, PASSWORD) == 400
    assert password_grant(server, users, alice.email, NEW_PASSWORD) == 200
    # The old password's sessions ended with it: the token the person's app held is revoked.
    assert alice.http.get("/api/v1/accounts/verify_credentials").status_code == 401
    assert web.sign_in(alice.email, NEW_PASSWORD).url.path == "/web/home"


def test_a_link_works_once_and_a_refused_password_leaves_it_usable(server, users, mailbox,
                                                                    web, new_user):
    bob = new_user()
    ask_for_reset(web, bob.email)
    link = link_in(mailbox.wait_for(bob.email))
    token = link.split("token=")[1]

    too_short = web.submit(link, "/web/password", {"token": token, "password": "short"})
    assert too_short.status_code == 422 and "between 8 and 72" in too_short.text
    assert choose_password(web, link, NEW_PASSWORD).url.path == "/web/sign-in"

    again = web.submit("/web/password/forgot", "/web/password",
                       {"token": token, "password": "yet another passphrase"})
    assert again.status_code == 422 and "not valid any more" in again.text
    assert web.get(link).status_code == 422
    assert password_grant(server, users, bob.email, NEW_PASSWORD) == 200
    assert password_grant(server, users, bob.email, "yet another passphrase") == 400


def test_made_up_tokens_and_one_persons_link_change_nobody_else(server, users, mailbox, web,
                                                                 new_user):
    carol, dave = new_user(), new_user()
    for token in ("", "x", "A" * 5000, "../../etc/passwd", "%00"):
        answer = web.submit("/web/password/forgot", "/web/password",
                            {"token": token, "password": NEW_PASSWORD})
        assert answer.status_code == 422, token
    ask_for_reset(web, carol.email)
    link = link_in(mailbox.wait_for(carol.email))
    # Dave, signed in, follows Carol's link: it sets Carol's password, never his.
    web.sign_in(dave.email)
    choose_password(web, link, NEW_PASSWORD)
    assert password_grant(server, users, carol.email, NEW_PASSWORD) == 200
    assert password_grant(server, users, dave.email, PASSWORD) == 200
    assert password_grant(server, users, dave.email, NEW_PASSWORD) == 400


def test_unknown_addresses_get_the_same_answer_and_no_mail(server, mailbox, web, new_user):
    unknown = f"nobody_{secrets.token_hex(4)}@example.org"
    erin = new_user()
    for_unknown = ask_for_reset(web, unknown)
    for_known = ask_for_reset(web, erin.email)
    assert for_unknown.status_code == for_known.status_code == 200
    assert for_unknown.text.replace(unknown, "ADDRESS") == for_known.text.replace(
        erin.email, "ADDRESS")
    mailbox.wait_for(erin.email)  # queued after the unknown one: it would be here by now
    assert mailbox.to(unknown) == []


def test_the_link_points_at_the_configured_address_whatever_host_the_request_named(
        server, mailbox, web, new_user):
    frank = new_user()
    form = web.get("/web/password/forgot")
    forged = web.http.post("/web/password/forgot", headers={"Host": "evil.example"},
                           data={"csrf": csrf_of(form), "email": frank.email})
    assert forged.status_code == 200 and "we have sent it a link" in forged.text
    message = mailbox.wait_for(frank.email)
    assert link_in(message).startswith(f"{server.base_url}/web/password?token=")
    assert "evil.example" not in message.as_string()


def test_a_flood_of_requests_is_refused_per_address_and_mails_a_person_three_times_at_most(
        server, mailbox, web, new_user):
    grace = new_user()
    answers = [ask_for_reset(web, grace.email).status_code for _ in range(7)]
    assert answers[:5] == [200] * 5 and answers[5:] == [429, 429]
    refused = ask_for_reset(web, grace.email)
    assert "Too many attempts" in refused.text
    mailbox.wait_for(grace.email, count=3)
    # Another address of the same person's: still at most three links an hour to them.
    other = WebClient(server.base_url)
    other.http.headers["X-Forwarded-For"] = "192.0.2.77"
    assert ask_for_reset(other, grace.email).status_code == 429  # per e-mail address too
    other.close()
    assert len(mailbox.to(grace.email)) == 3


def test_a_display_name_cannot_add_recipients_or_headers_to_the_mail(server, mailbox, web,
                                                                    new_user):
    heidi = new_user()
    heidi.http.patch("/api/v1/accounts/update_credentials", data={
        "display_name": "Heidi\r\nBcc: thief@example.net\r\nSubject: pwned"})
    ask_for_reset(web, heidi.email)
    message = mailbox.wait_for(heidi.email)
    assert message["Bcc"] is None and message["Subject"].startswith("Reset your password")
    assert [r for r, m in mailbox.messages if m is message] == [[heidi.email]]
    assert mailbox.to("thief@example.net") == []


def test_the_operator_sends_a_reset_and_sets_a_password_from_the_command_line(
        server, users, mailbox, new_user):
    ivan = new_user()
    said = server.cli("accounts", "send-reset", ivan.username)
    assert ivan.email in said
    assert link_in(mailbox.wait_for(ivan.email)).startswith(server.base_url)

    said = server.cli("accounts", "set-password", ivan.username,
                      answers=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert NEW_PASSWORD not in said
    assert password_grant(server, users, ivan.email, NEW_PASSWORD) == 200
    if "ZWITSCHER_REDIS_URL" in server.env:
        # Scaled out, the command tells the running server over Redis: the old token is
        # refused at once. (The embedded default's server notices within its viewer cache's
        # lifetime, ZWITSCHER_VIEWER_CACHE_SECONDS: there is no channel between processes.)
        assert ivan.http.get("/api/v1/accounts/verify_credentials").status_code == 401


def test_imported_people_are_welcomed_with_a_link_to_their_first_password(
        server, users, mailbox, web):
    admin = users.create(role="admin")
    tag = secrets.token_hex(3)
    csv_text = ("username,email,display_name,role,groups,external_id\n"
                f"lena_{tag},lena_{tag}@example.org,Lena Import,,,\n"
                f"omar_{tag},omar_{tag}@example.org,Omar Import,,,\n")
    response = admin.http.post("/api/zwitscher/v1/admin/directory/import",
                               content=csv_text.encode(), headers={"content-type": "text/csv"})
    assert response.status_code == 200, response.text
    welcome = mailbox.wait_for(f"lena_{tag}@example.org")
    assert welcome["Subject"] == "Welcome to Zwitscher: choose your password"
    assert "for 7 days" in text_of(welcome)
    link = link_in(welcome)
    assert "Welcome!" in web.get(link).text
    choose_password(web, link, NEW_PASSWORD)
    assert password_grant(server, users, f"lena_{tag}@example.org", NEW_PASSWORD) == 200
    mailbox.wait_for(f"omar_{tag}@example.org")


def test_people_a_directory_provisions_over_scim_are_welcomed_too(server, mailbox):
    token = server.cli("scim", "token", "--name", "welcome tests").strip()
    address = f"scim_{secrets.token_hex(3)}@example.org"
    created = httpx.post(f"{server.base_url}/scim/v2/Users", headers={
        "Authorization": f"Bearer {token}", "content-type": "application/scim+json"}, json={
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": address,
        "emails": [{"value": address, "primary": True}], "active": True})
    assert created.status_code == 201, created.text
    assert link_in(mailbox.wait_for(address)).startswith(f"{server.base_url}/web/password?")


def test_people_get_their_mail_in_the_language_they_chose(server, mailbox, web, new_user):
    jana = new_user()
    web.sign_in(jana.email)
    web.submit("/web/home", "/web/language", {"language": "de", "back": "/web/home"})
    server.cli("accounts", "send-reset", jana.username)
    message = mailbox.wait_for(jana.email)
    assert message["Content-Language"] == "de"
    assert message["Subject"] == "Setze dein Passwort auf Zwitscher zurück"
    assert "Wähle ein neues Passwort" in html_of(message)
