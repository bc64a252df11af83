"""E-mail leaves through a real SMTP server (aiosmtpd, started here), or, with none
configured, lands in the data directory as `.eml` files; it survives a server that is down
for a while and is not sent again once accepted."""

from __future__ import annotations

import email
import os
import secrets
import subprocess
import time
from email.policy import default

import launcher
import pytest
from mail_support import MailSink, html_of, link_in, text_of

from support import free_port, fresh_instance, in_home, wait_until
from web_support import WebClient


def zwitscher(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return launcher.run(list(args), env={**os.environ, **env})


def test_mail_test_sends_text_and_html_through_the_configured_server(server, mailbox):
    address = f"ops_{secrets.token_hex(3)}@example.org"
    said = server.cli("mail", "test", address)
    assert f"via smtp://127.0.0.1:{mailbox.port}" in said
    message = mailbox.wait_for(address)
    assert message["Subject"] == "A test message from Zwitscher"
    assert message["From"].addresses[0].username == "no-reply"
    assert message.get_content_type() == "multipart/alternative"
    assert "e-mail works" in text_of(message) and "<p>" in html_of(message)

    server.cli("mail", "test", address, "--language", "de")
    german = mailbox.wait_for(address, count=2)
    assert german["Subject"] == "Eine Testnachricht von Zwitscher"
    assert german["Content-Language"] == "de"


def test_the_server_signs_in_to_smtp_with_the_credentials_of_the_url(tmp_path):
    sink = MailSink(login=("mailer", "s3cr:t/pw"))
    sink.start()
    try:
        env = {"ZWITSCHER_DATA_DIR": str(tmp_path),
               "ZWITSCHER_SMTP_URL": f"smtp://mailer:s3cr%3At%2Fpw@127.0.0.1:{sink.port}"}
        sent = zwitscher(env, "mail", "test", "boss@example.org")
        assert sent.returncode == 0, sent.stderr
        assert sink.wait_for("boss@example.org")["Subject"]
        anonymous = zwitscher(env | {"ZWITSCHER_SMTP_URL": sink.url},
                              "mail", "test", "boss@example.org")
        assert anonymous.returncode == 1 and "Not sent" in anonymous.stderr
        assert "Traceback" not in anonymous.stderr
    finally:
        sink.stop()


def test_an_unreachable_server_or_a_bad_address_is_reported_not_crashed_on(tmp_path):
    env = {"ZWITSCHER_DATA_DIR": str(tmp_path),
           "ZWITSCHER_SMTP_URL": f"smtp://127.0.0.1:{free_port()}"}
    down = zwitscher(env, "mail", "test", "boss@example.org")
    assert down.returncode == 1 and "Not sent" in down.stderr
    for address in ("not-an-address", "a@b@c", "boss@example.org\r\nBcc: x@y"):
        bad = zwitscher(env, "mail", "test", address)
        assert bad.returncode == 1 and "Not sent" in bad.stderr and "Traceback" not in bad.stderr
    wrong_scheme = zwitscher(env | {"ZWITSCHER_SMTP_URL": "http://mail.example.org"},
                             "mail", "test", "boss@example.org")
    assert wrong_scheme.returncode == 1 and "smtp://" in wrong_scheme.stderr


def test_without_an_smtp_server_messages_are_written_to_the_data_directory(tmp_path):
    """The embedded default, as a newcomer runs it: the log says where mail goes, and a
    password reset asked for on the web lands there as a file a mail program opens."""
    with fresh_instance(tmp_path) as instance:
        assert f"messages are written to {tmp_path / 'mail'}" in instance.log_text()
        instance.cli("accounts", "create", "newcomer", "--email", "newcomer@example.org",
                     "--password", "a long password")
        web = WebClient(instance.base_url)
        web.submit("/web/password/forgot", "/web/password/forgot",
                   {"email": "newcomer@example.org"})
        web.close()
        files = wait_until(lambda: list((tmp_path / "mail").glob("*.eml")), timeout=20)
        message = email.message_from_bytes(files[0].read_bytes(), policy=default)
        assert message["To"].addresses[0].addr_spec == "newcomer@example.org"
        assert link_in(message).startswith(f"{instance.base_url}/web/password?token=")
        assert f"written to {files[0]}" in instance.log_text()


def test_a_server_that_is_down_for_a_while_gets_the_message_later_and_only_once(
        server, mailbox, new_user):
    person = new_user()
    mailbox.refuse_with = "451 4.3.0 Try again later"
    try:
        server.cli("accounts", "send-reset", person.username)
        wait_until(lambda: mailbox.refused >= 1, timeout=20)
    finally:
        mailbox.refuse_with = None
    message = mailbox.wait_for(person.email, timeout=30)
    time.sleep(1)
    same = [m for m in mailbox.to(person.email) if m["Message-ID"] == message["Message-ID"]]
    assert len(same) == 1


def test_a_message_refused_for_good_is_not_tried_again(server, mailbox, new_user):
    person = new_user()
    mailbox.refuse_with = "550 5.1.1 No such mailbox"
    try:
        server.cli("accounts", "send-reset", person.username)
        wait_until(lambda: mailbox.refusals_to(person.email) > 0, timeout=20)
        wait_until(lambda: "refused for good" in server.log_text(), timeout=10)
        time.sleep(2.5)  # a retry would come after 2 s
        assert mailbox.refusals_to(person.email) == 1
    finally:
        mailbox.refuse_with = None
    assert mailbox.to(person.email) == []


@pytest.mark.parametrize("name", ["Mallory\r\nBcc: thief@example.net", "Ünïcødé «Name»"])
def test_names_are_never_headers_of_their_own(server, mailbox, new_user, name):
    person = new_user()
    person.http.patch("/api/v1/accounts/update_credentials", data={"display_name": name})
    server.cli("accounts", "send-reset", person.username)
    message = mailbox.wait_for(person.email)
    assert message["Bcc"] is None
    assert "\n" not in message["To"].addresses[0].display_name


def test_a_burst_of_welcome_mails_to_a_slow_server_holds_up_no_post(server, mailbox, users):
    """Two hundred people imported at once get their welcome while the mail server takes
    0.3 s for each message (a minute at least, ten at a time): a post made meanwhile still
    reaches its followers' home timelines long before the last welcome has left."""
    admin, author, reader = users.create(role="admin"), users.create(), users.create()
    reader.api.account_follow(author.id)
    tag = secrets.token_hex(3)
    rows = "".join(f"slow{n}_{tag},slow{n}_{tag}@example.org,Slow {n},,,\n" for n in range(200))
    mailbox.delay = 0.3
    try:
        imported = admin.http.post(
            "/api/zwitscher/v1/admin/directory/import",
            content=("username,email,display_name,role,groups,external_id\n" + rows).encode(),
            headers={"content-type": "text/csv"})
        assert imported.status_code == 200, imported.text
        wait_until(lambda: mailbox.to(f"slow0_{tag}@example.org"), timeout=20)
        status = author.api.status_post("Posted during a burst of welcome mails")
        assert in_home(reader, status.id)
        welcomed = sum(bool(mailbox.to(f"slow{n}_{tag}@example.org")) for n in range(200))
        assert welcomed < 200
    finally:
        mailbox.delay = 0.0
    wait_until(lambda: mailbox.to(f"slow199_{tag}@example.org"), timeout=60)
