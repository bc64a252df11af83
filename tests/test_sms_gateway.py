"""Text messages leave through the organisation's SMS gateway adapter: a signed JSON webhook
(docs/crisis-sms-gateway.md), here taken by a local adapter that checks the signature as a
real one would; and phone numbers are read as people write them, or refused by name."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest

from zwitscher.domain.errors import TemporaryFailure, ValidationFailed
from zwitscher.domain.phone_numbers import normalise_phone
from zwitscher.settings import Settings
from zwitscher.sms.gateway import (
    MAX_BATCH,
    MAX_TEXT,
    SmsGateway,
    SmsMessage,
    create_sms_gateway,
    sign,
)

from support import free_port

pytestmark = pytest.mark.engine_independent


@pytest.fixture
def gateway(sms_gateway):
    sms_gateway.clear()
    return sms_gateway


def send(client: SmsGateway, messages: list[SmsMessage]):
    return asyncio.run(client.send(messages))


def batch(prefix: str, count: int) -> list[SmsMessage]:
    return [SmsMessage(id=f"{prefix}-{n}", to=f"+49176{1000000 + n}",
                       text=f"Alarm {n}: bitte bestätigen") for n in range(count)]


def test_a_batch_reaches_the_gateway_signed_and_every_message_is_accepted(gateway):
    messages = batch("signed", MAX_BATCH)
    outcome = send(SmsGateway(gateway.url, gateway.secret), messages)
    assert outcome.accepted == {message.id for message in messages}
    assert outcome.refused == {}
    texts = gateway.wait_for(MAX_BATCH)
    assert texts["signed-7"].to == "+491761000007"
    assert texts["signed-7"].text == "Alarm 7: bitte bestätigen"
    assert gateway.requests == 1 and gateway.bad_signatures == 0


def test_a_gateway_with_another_secret_refuses_the_batch_and_nothing_is_texted(gateway):
    messages = batch("forged", 3)
    outcome = send(SmsGateway(gateway.url, "not the shared secret"), messages)
    assert outcome.accepted == frozenset()
    assert set(outcome.refused) == {"forged-0", "forged-1", "forged-2"}
    assert "401" in outcome.refused["forged-0"]
    assert gateway.bad_signatures == 1 and gateway.texts == {}


def test_the_signature_binds_body_and_time_so_a_replay_or_an_edit_is_refused(gateway):
    """As an adapter checks it (the docs' example): a recorded request sent again later, or
    with its text changed, fails the check."""
    body = json.dumps({"messages": [{"id": "replay", "to": "+4917612345678",
                                     "text": "Evakuierung"}]}).encode()
    then = str(int(time.time()) - 600)

    def post(timestamp: str, signature: str, content: bytes) -> int:
        return httpx.post(gateway.url, content=content, headers={
            "X-Zwitscher-Timestamp": timestamp, "X-Zwitscher-Signature": signature}).status_code

    assert post(then, sign(gateway.secret, then, body), body) == 401
    now = str(int(time.time()))
    assert post(now, sign(gateway.secret, then, body), body) == 401
    assert post(now, sign(gateway.secret, now, body), body.replace(b"Evak", b"Entw")) == 401
    assert gateway.texts == {} and gateway.bad_signatures == 3
    assert post(now, sign(gateway.secret, now, body), body) == 200
    assert set(gateway.texts) == {"replay"}


def test_numbers_the_gateway_refuses_are_reported_by_id_and_the_rest_are_accepted(gateway):
    messages = batch("mixed", 5)
    gateway.refuse(messages[1].to, "unknown subscriber")
    gateway.refuse(messages[3].to, "landline")
    outcome = send(SmsGateway(gateway.url, gateway.secret), messages)
    assert outcome.refused == {"mixed-1": "unknown subscriber", "mixed-3": "landline"}
    assert outcome.accepted == {"mixed-0", "mixed-2", "mixed-4"}
    assert set(gateway.texts) == {"mixed-0", "mixed-2", "mixed-4"}


def test_a_busy_gateway_is_a_temporary_failure_and_the_retry_texts_each_person_once(gateway):
    client = SmsGateway(gateway.url, gateway.secret)
    messages = batch("busy", 4)
    gateway.unavailable_for(1)
    with pytest.raises(TemporaryFailure, match="503"):
        send(client, messages)
    assert gateway.texts == {}
    assert send(client, messages).accepted == {message.id for message in messages}
    # The worker died before it recorded the answer: the same batch goes out once more.
    assert send(client, messages).accepted == {message.id for message in messages}
    assert len(gateway.texts) == 4
    assert gateway.duplicates == {message.id: 1 for message in messages}


def test_an_unreachable_gateway_is_a_temporary_failure():
    client = SmsGateway(f"http://127.0.0.1:{free_port()}/sms", "secret")
    with pytest.raises(TemporaryFailure, match="unreachable"):
        send(client, batch("down", 2))


def test_the_failure_names_the_gateway_but_not_its_secret_or_credentials():
    client = SmsGateway(f"http://user:hunter2@127.0.0.1:{free_port()}/sms?token=t0k3n",
                        "the-shared-secret")
    with pytest.raises(TemporaryFailure) as failure:
        send(client, batch("quiet", 1))
    said = str(failure.value)
    assert "127.0.0.1" in said
    assert not any(secret in said for secret in ("hunter2", "t0k3n", "the-shared-secret"))


@pytest.mark.parametrize("mistake", [
    batch("big", MAX_BATCH + 1),
    batch("twice", 1) * 2,
    [SmsMessage(id="local", to="0176 12345678", text="not E.164")],
    [SmsMessage(id="id with spaces", to="+4917612345678", text="hi")],
    [SmsMessage(id="long", to="+4917612345678", text="x" * (MAX_TEXT + 1))],
])
def test_a_batch_the_contract_does_not_allow_is_refused_before_anything_is_sent(
        gateway, mistake):
    with pytest.raises(ValueError):
        send(SmsGateway(gateway.url, gateway.secret), mistake)
    assert gateway.requests == 0


def test_without_a_gateway_url_there_is_no_gateway_and_a_url_needs_its_secret():
    assert create_sms_gateway(Settings()) is None
    configured = create_sms_gateway(Settings(sms_gateway_url="https://sms.example.org/hook",
                                             sms_gateway_secret="s3cret"))
    assert configured is not None and configured.url == "https://sms.example.org/hook"
    with pytest.raises(ValueError, match="ZWITSCHER_SMS_GATEWAY_SECRET"):
        Settings(sms_gateway_url="https://sms.example.org/hook")
    with pytest.raises(ValueError, match="https://"):
        Settings(sms_gateway_url="ftp://sms.example.org", sms_gateway_secret="s3cret")


@pytest.mark.parametrize(("written", "e164"), [
    ("0176 12345678", "+4917612345678"),
    ("+49 176 12345678", "+4917612345678"),
    ("0049 176 12345678", "+4917612345678"),
    ("+49 (0)176 12345678", "+4917612345678"),
    ("(030) 123 456-78", "+493012345678"),
    ("  030/1234567 ", "+49301234567"),
    ("+43 664 1234567", "+436641234567"),
    ("+1 415 555 2671", "+14155552671"),
    ("+44 20 7946 0958", "+442079460958"),
])
def test_phone_numbers_are_read_as_people_write_them(written, e164):
    assert normalise_phone(written, region="DE") == e164


def test_a_number_without_country_code_belongs_to_the_configured_region():
    assert normalise_phone("0664 1234567", region="AT") == "+436641234567"
    assert Settings(phone_region="at").phone_region == "AT"
    with pytest.raises(ValueError, match="region code"):
        Settings(phone_region="Germany")


@pytest.mark.parametrize("written", [
    "", "0176", "12", "+49 12", "0176 1234567890123456", "call 0176 12345678",
    "0176-CALL-ME", "+49 176 12345678\nBcc: x", "++49 176 12345678", "+999 1234567",
])
def test_a_malformed_phone_number_is_refused_naming_what_was_written(written):
    with pytest.raises(ValidationFailed) as refusal:
        normalise_phone(written, region="DE")
    assert f'"{written}" is not a valid phone number' in refusal.value.message


def test_a_long_paste_is_named_shortened_in_the_refusal():
    with pytest.raises(ValidationFailed) as refusal:
        normalise_phone("0" * 500, region="DE")
    assert len(refusal.value.message) < 120 and "…" in refusal.value.message
