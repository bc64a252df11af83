"""Queue a monitor's alerts on the channels its owner chose: e-mail, web push, a webhook.

An alert is a new match (`kind="match"`, the posts in `status_ids`) or a spike (`kind=
"spike"`, the numbers in `counts`, as the spike rule reports them); both go the same way.
Recipients are the monitor's owner, or every member of its team. Nothing is checked against
visibility here: each delivery asks again, when it is sent, which of the posts its recipient
may see (a webhook: whoever set its address), and carries only those.

E-mail is paced: a match queues one digest per monitor and recipient, sent after
`monitor_mail_gather_seconds` (so a burst of matches is one e-mail) and no sooner than
`monitor_mail_interval_seconds` after the previous one; it carries every match since the
previous e-mail. While one is queued, further matches queue nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.jobs import MailMonitorAlert, PushMonitorAlert, SendMonitorWebhook

MATCH = "match"
SPIKE = "spike"


@dataclass(frozen=True, slots=True)
class MonitorAlert:
    kind: str
    status_ids: tuple[int, ...] = ()
    counts: dict[str, Any] | None = field(default=None)


async def recipients_of(uow: UnitOfWork, monitor: sa.Row) -> list[int]:
    if monitor.owner_id is not None:
        return [monitor.owner_id]
    return await uow.groups.member_ids([monitor.group_id])


async def queue_monitor_alert(uow: UnitOfWork, *, monitor: sa.Row, alert: MonitorAlert) -> None:
    if not (monitor.alert_email or monitor.alert_push or monitor.webhook_url):
        return
    recipients = await recipients_of(uow, monitor) \
        if monitor.alert_email or monitor.alert_push else []
    if monitor.alert_email:
        for account_id in recipients:
            await _queue_mail(uow, monitor, account_id, alert)
    if monitor.alert_push and recipients:
        devices = await uow.push_subscriptions.targets(recipients)
        for account_id in dict.fromkeys(device.account_id for device in devices):
            await uow.enqueue(PushMonitorAlert(monitor_id=monitor.id, account_id=account_id,
                                               kind=alert.kind, status_ids=alert.status_ids,
                                               counts=alert.counts))
    if monitor.webhook_url:
        await uow.enqueue(SendMonitorWebhook(monitor_id=monitor.id, kind=alert.kind,
                                             delivery_id=str(uuid.uuid4()),
                                             status_ids=alert.status_ids, counts=alert.counts))


async def _queue_mail(uow: UnitOfWork, monitor: sa.Row, account_id: int,
                      alert: MonitorAlert) -> None:
    if alert.kind != MATCH:
        await uow.enqueue(MailMonitorAlert(monitor_id=monitor.id, account_id=account_id,
                                           kind=alert.kind, counts=alert.counts))
        return
    if not await uow.monitors.mark_mail_queued(monitor.id, account_id):
        return  # the digest already queued will carry this match too
    state = await uow.monitors.mail_state(monitor.id, account_id)
    delay = timedelta(seconds=uow.settings.monitor_mail_gather_seconds)
    if state is not None and state.next_at is not None:
        delay = max(delay, state.next_at - utcnow())
    await uow.enqueue(MailMonitorAlert(monitor_id=monitor.id, account_id=account_id),
                      delay=delay)
