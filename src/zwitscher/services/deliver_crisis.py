"""Hand a crisis's messages on one channel to the outside world: the push service, the mail
server or the SMS gateway.

A crisis's deliveries on one channel in one round (sent, an escalation step, a re-send) go
out in batches, a `DeliverCrisis` job each: it claims a batch (marks it `sending`, in a short
transaction), sends it with no transaction open (one SMTP connection for a batch of e-mails,
one request to the gateway for a batch of text messages, pushes side by side), marks each
delivery sent, failed or skipped, and queues the job for the next batch in the same
transaction. One batch per job keeps every run well inside its lease, so no run is taken for
dead while it sends. Sent deliveries mark their recipients reached.

A worker killed in the middle leaves its batch claimed and unmarked; once a lease has passed,
the job (run again) takes the batch over, which is the only batch that can go out twice. So
every message carries an id that stays the same however often it is sent (the e-mail's
Message-ID, the text message's `id`, the push's notification id): the gateway drops a repeat
by it, a browser shows a repeated push in place of the first, and the test sinks count by it.
What the other side cannot take now (unreachable, busy; a whole batch, or the e-mails after a
dropped connection) waits again and goes a few seconds later; a batch sent to nobody at all
raises TemporaryFailure, so the job is retried with backoff.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import urlsplit

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork, UnitsOfWork
from zwitscher.domain.channels import Event, crisis_channel
from zwitscher.domain.clock import utcnow
from zwitscher.domain.crisis_texts import EMAIL, FAILED, PUSH, SENT, SKIPPED, SMS
from zwitscher.domain.errors import TemporaryFailure
from zwitscher.domain.jobs import DeliverCrisis
from zwitscher.mail.messages import compose, recipient
from zwitscher.mail.transport import transport_for
from zwitscher.services.crisis_links import token_for
from zwitscher.services.deliver_push import push_message
from zwitscher.services.ensure_vapid_key import VAPID_KEY
from zwitscher.services.mail_links import link_secret
from zwitscher.services.send_crisis import post_link
from zwitscher.sms.gateway import MAX_BATCH, SmsMessage, create_sms_gateway

log = logging.getLogger(__name__)

BATCH = {EMAIL: 25, SMS: MAX_BATCH, PUSH: 50}
PUSHES_AT_ONCE = 16
# When the other side could not take part of a batch, that part is tried again after this.
RETRY_AFTER = timedelta(seconds=5)
SMS_LENGTH = 600

Render = Callable[..., Awaitable[dict]]


@dataclass(slots=True)
class _Outcome:
    sent: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    # Not taken now (the server was busy, the connection broke): they stay claimed, and the job
    # is retried for them alone once the others are marked.
    later: list[int] = field(default_factory=list)
    # Deliveries with nothing to deliver to after all (a person without a push subscription).
    skipped: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Crisis:
    id: int
    title: str
    text: str
    status_id: int | None
    account_id: int
    post_url: str
    secret: bytes
    vapid_key: str | None


async def deliver_crisis(uows: UnitsOfWork, *, crisis_id: int, channel: str, round: int,
                         render: Render) -> None:
    lease = timedelta(seconds=uows.settings.job_lease_seconds)
    async with uows.write() as uow:
        crisis = await _crisis(uow, crisis_id)
        if crisis is None:
            return
        now = utcnow()
        batch = await uow.crises.claim(crisis_id=crisis_id, channel=channel, round=round,
                                       limit=BATCH[channel], at=now, stale_before=now - lease)
        if not batch:
            if await uow.crises.unfinished(crisis_id=crisis_id, channel=channel, round=round):
                raise TemporaryFailure("crisis messages are still being sent by another job")
            return
    if channel == EMAIL:
        outcome = await _send_mail(uows, crisis, batch)
    elif channel == SMS:
        outcome = await _send_sms(uows, crisis, batch)
    else:
        outcome = await _send_push(uows, crisis, batch, render)
    async with uows.write() as uow:
        now = utcnow()
        await uow.crises.finish(outcome.sent, state=SENT, at=now)
        for state, reasons in ((FAILED, outcome.failed), (SKIPPED, outcome.skipped)):
            for reason in set(reasons.values()):
                await uow.crises.finish([i for i, r in reasons.items() if r == reason],
                                        state=state, at=now, error=reason)
        await uow.crises.release(outcome.later)
        if await uow.crises.unfinished(crisis_id=crisis_id, channel=channel, round=round):
            # The next batch is a job of its own, so no run outlives its lease.
            await uow.enqueue(DeliverCrisis(crisis_id=crisis_id, channel=channel, round=round),
                              delay=RETRY_AFTER if outcome.later else None)
        uow.publish(crisis_channel(crisis_id), Event.CRISIS_CHANGED, None)


async def _crisis(uow: UnitOfWork, crisis_id: int) -> _Crisis | None:
    row = await uow.crises.get(crisis_id)
    if row is None:
        return None
    key = await uow.server_keys.get(VAPID_KEY)
    return _Crisis(id=row.id, title=row.title, text=row.text, status_id=row.status_id,
                   account_id=row.account_id,
                   post_url=post_link(uow.settings, row.id, public=row.public),
                   secret=await link_secret(uow),
                   vapid_key=key.private_key if key else None)


def _personal(crisis: _Crisis, recipient_id: int, base_url: str) -> tuple[str, str]:
    """The recipient's own link, and the text with it in place of the public one."""
    link = f"{base_url.rstrip('/')}/crisis/{token_for(crisis.secret, recipient_id)}"
    text = crisis.text.replace(crisis.post_url, link)
    return link, text


async def _send_mail(uows: UnitsOfWork, crisis: _Crisis, batch: list[sa.Row]) -> _Outcome:
    settings = uows.settings
    host = urlsplit(settings.base_url).hostname or "localhost"
    messages: list[EmailMessage] = []
    outcome = _Outcome()
    for row in batch:
        link, text = _personal(crisis, row.recipient_id, settings.base_url)
        try:
            messages.append(compose(
                settings, kind="crisis_alert", to=recipient(row.email, row.name),
                language=row.language, message_id=f"<crisis.{row.id}@{host}>",
                values={"title": crisis.title, "text": text,
                        "path": link.removeprefix(settings.base_url.rstrip("/"))}))
        except ValueError as exc:
            outcome.failed[row.id] = f"not an address: {exc}"[:300]
            messages.append(None)
    sendable = [message for message in messages if message is not None]
    results = iter(await transport_for(settings).send_many(sendable) if sendable else [])
    for row, message in zip(batch, messages, strict=True):
        if message is None:
            continue
        failure = next(results)
        if isinstance(failure, TemporaryFailure):
            outcome.later.append(row.id)
        elif failure is None:
            outcome.sent.append(row.id)
        else:
            outcome.failed[row.id] = str(failure)[:300]
    return outcome


async def _send_sms(uows: UnitsOfWork, crisis: _Crisis, batch: list[sa.Row]) -> _Outcome:
    gateway = create_sms_gateway(uows.settings)
    if gateway is None:
        return _Outcome(skipped=dict.fromkeys((row.id for row in batch),
                                              "no SMS gateway is configured"))
    messages = {}
    for row in batch:
        link, text = _personal(crisis, row.recipient_id, uows.settings.base_url)
        body = f"{crisis.title}\n{text}"
        if link not in body:
            body = f"{body[:SMS_LENGTH - len(link) - 1]}\n{link}"
        messages[f"crisis.{row.id}"] = (row.id, SmsMessage(id=f"crisis.{row.id}", to=row.phone,
                                                            text=body[:SMS_LENGTH]))
    answer = await gateway.send([message for _, message in messages.values()])
    outcome = _Outcome()
    for message_id, (delivery_id, _) in messages.items():
        if message_id in answer.refused:
            outcome.failed[delivery_id] = answer.refused[message_id]
        else:
            outcome.sent.append(delivery_id)
    return outcome


async def _send_push(uows: UnitsOfWork, crisis: _Crisis, batch: list[sa.Row],
                     render: Render) -> _Outcome:
    """To every device of each person; reached when one of them took it."""
    outcome = _Outcome()
    if crisis.vapid_key is None or crisis.status_id is None:
        return _Outcome(skipped=dict.fromkeys((row.id for row in batch), "push is not set up"))
    account_ids = [row.account_id for row in batch]
    async with uows.read() as uow:
        devices = await uow.push_subscriptions.targets(account_ids)
        notified = await uow.crises.notification_ids(status_id=crisis.status_id,
                                                     account_ids=account_ids)
        languages = {row.account_id: row.language for row in batch}
        recipients = {row.account_id: row.recipient_id for row in batch}
        messages = {}
        for device in devices:
            notification = await uow.notifications.get(
                device.account_id, notified.get(device.account_id, 0))
            if notification is None:
                continue
            message = await render(uow, subscription=device, notification=notification,
                                   locale=languages[device.account_id],
                                   origin=uows.settings.base_url)
            # `url` is ours (apps ignore it): the service worker opens the person's own link.
            path = f"/crisis/{token_for(crisis.secret, recipients[device.account_id])}"
            messages[device.id] = {**message, "title": f"⚠ {crisis.title}",
                                   "body": crisis.text[:500], "url": path}
    gate = asyncio.Semaphore(PUSHES_AT_ONCE)
    gone: list[int] = []
    later: list[int] = []

    async def one(device) -> bool:
        async with gate:
            try:
                if await push_message(uows.settings, subscription=device,
                                      message=messages[device.id],
                                      private_key_pem=crisis.vapid_key):
                    gone.append(device.id)
                    return False
                return True
            except TemporaryFailure as exc:
                log.info("crisis push to subscription %s failed for now: %s", device.id, exc)
                later.append(device.id)
                return False

    sending = [device for device in devices if device.id in messages]
    results = await asyncio.gather(*(one(device) for device in sending))
    took = {device.account_id for device, ok in zip(sending, results, strict=True) if ok}
    tried = {device.account_id for device in sending}
    if sending and not took and len(later) == len(sending):
        raise TemporaryFailure("the push services took none of a batch of crisis messages")
    for row in batch:
        if row.account_id in took:
            outcome.sent.append(row.id)
        elif row.account_id in tried:
            outcome.failed[row.id] = "no device took the message"
        else:
            outcome.skipped[row.id] = "no device with push turned on"
    if gone:
        async with uows.write() as uow:
            for subscription_id in gone:
                await uow.push_subscriptions.delete(subscription_id)
    return outcome
