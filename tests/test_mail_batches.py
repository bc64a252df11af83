"""E-mail in batches, as a crisis broadcast sends it: many messages over one SMTP connection,
an answer for each (accepted, refused for good, or to be tried again), and a broken connection
that loses nothing and sends nothing twice once the rest are sent again."""

from __future__ import annotations

import asyncio
import email
import secrets
from email.message import EmailMessage
from email.policy import default

import pytest
from mail_support import MailSink

from zwitscher.domain.errors import TemporaryFailure
from zwitscher.mail.messages import compose, new_message_id, recipient
from zwitscher.mail.transport import FolderTransport, SmtpTransport, Undeliverable
from zwitscher.settings import Settings

from support import free_port

pytestmark = pytest.mark.engine_independent

def messages_to(addresses: list[str]) -> list[EmailMessage]:
    settings = Settings(base_url="https://social.example.org")
    return [compose(settings, kind="test", to=recipient(address), language="de", values={},
                    message_id=new_message_id(settings)) for address in addresses]


def addresses(count: int) -> list[str]:
    run = secrets.token_hex(3)
    return [f"relative{n}_{run}@example.org" for n in range(count)]


def send_many(transport, messages: list[EmailMessage]) -> list[Exception | None]:
    return asyncio.run(transport.send_many(messages))


def test_a_batch_goes_over_one_connection_and_every_message_arrives_once(mailbox):
    people = addresses(40)
    messages = messages_to(people)
    assert send_many(SmtpTransport(mailbox.url), messages) == [None] * 40
    for address, message in zip(people, messages, strict=True):
        [received] = mailbox.to(address)
        assert received["Message-ID"].strip() == message["Message-ID"]
        assert received["Subject"] == "Eine Testnachricht von Zwitscher"
    assert len({mailbox.connection_of[m["Message-ID"]] for m in messages}) == 1


def test_each_refusal_is_answered_for_its_message_and_the_others_are_delivered(mailbox):
    people = addresses(5)
    mailbox.refuse_recipients[people[1]] = "550 5.1.1 No such mailbox"
    mailbox.refuse_recipients[people[3]] = "450 4.2.1 Mailbox busy, try later"
    try:
        outcomes = send_many(SmtpTransport(mailbox.url), messages_to(people))
    finally:
        mailbox.refuse_recipients.clear()
    assert [type(outcome) for outcome in outcomes] == [
        type(None), Undeliverable, type(None), TemporaryFailure, type(None)]
    assert "No such mailbox" in str(outcomes[1])
    assert [len(mailbox.to(address)) for address in people] == [1, 0, 1, 0, 1]


def test_an_unreachable_server_fails_the_whole_batch_for_a_later_try():
    transport = SmtpTransport(f"smtp://127.0.0.1:{free_port()}")
    with pytest.raises(TemporaryFailure, match="127.0.0.1"):
        send_many(transport, messages_to(addresses(3)))


def test_a_connection_lost_mid_batch_keeps_what_was_sent_and_the_rest_is_sent_once_later():
    sink = MailSink()
    sink.start()
    try:
        people = addresses(6)
        messages = messages_to(people)
        sink.hang_up_after = 2
        outcomes = send_many(SmtpTransport(sink.url), messages)
        assert outcomes[:2] == [None, None]
        assert all(isinstance(outcome, TemporaryFailure) for outcome in outcomes[2:])
        again = [message for message, outcome in zip(messages, outcomes, strict=True)
                 if outcome is not None]
        assert send_many(SmtpTransport(sink.url), again) == [None] * 4
        assert [len(sink.to(address)) for address in people] == [1] * 6
    finally:
        sink.stop()


def test_a_batch_signs_in_with_the_credentials_of_the_url():
    sink = MailSink(login=("mailer", "s3cr:t/pw"))
    sink.start()
    try:
        people = addresses(3)
        signed_in = SmtpTransport(f"smtp://mailer:s3cr%3At%2Fpw@127.0.0.1:{sink.port}")
        assert send_many(signed_in, messages_to(people)) == [None] * 3
        assert all(sink.to(address) for address in people)
    finally:
        sink.stop()


def test_without_a_server_a_batch_is_written_as_files_and_writing_it_again_doubles_nothing(
        tmp_path):
    people = addresses(3)
    messages = messages_to(people)
    transport = FolderTransport(tmp_path / "mail")
    assert send_many(transport, messages) == [None] * 3
    assert send_many(transport, messages) == [None] * 3
    files = sorted((tmp_path / "mail").glob("*.eml"))
    written = [email.message_from_bytes(path.read_bytes(), policy=default) for path in files]
    assert sorted(m["To"].addresses[0].addr_spec for m in written) == sorted(people)
