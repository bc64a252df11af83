"""Send a monitor's alerts: the e-mail digest, the web push to one person's devices, and the
signed webhook.

Each reads the monitor and the posts anew when it runs and carries only the posts its
recipient may see now (visibility as every read path asks it): for e-mail and push the person
it goes to, who must still read the monitor; for a webhook whoever set its address (the owner
of a personal monitor), who must still read the monitor too: a team monitor's webhook stops
when they leave the team, until a manager sets it again. A monitor deleted in between sends
nothing.

The webhook (docs/monitoring.md) is one POST with a JSON body, signed as the SMS gateway's
requests are (`sms/gateway.py: sign`): `X-Zwitscher-Signature: sha256=<hex HMAC-SHA256(secret,
"<timestamp>." + body)>` with `X-Zwitscher-Timestamp`. Its URL is checked again before it is
sent, and the connection reaches only public addresses (names are checked after resolving);
an address of our own network is dropped for good. 408, 429, 5xx, a timeout or no connection
raise TemporaryFailure, so the job system retries with backoff; any other answer ends it.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import aiohttp
import orjson
import sqlalchemy as sa

from zwitscher import i18n
from zwitscher.db.uow import UnitOfWork, UnitsOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import TemporaryFailure, ValidationFailed
from zwitscher.domain.jobs import MailMonitorAlert, PushMonitorAlert, SendMonitorWebhook
from zwitscher.domain.monitors import checked_webhook_url
from zwitscher.policies.monitors import may_read_monitor, webhook_reader, webhook_sends
from zwitscher.services.deliver_push import push_message
from zwitscher.services.ensure_vapid_key import VAPID_KEY
from zwitscher.services.public_network import NotPublic, public_only_session
from zwitscher.services.queue_mail import queue_mail
from zwitscher.services.queue_monitor_alert import MATCH
from zwitscher.sms.gateway import sign

log = logging.getLogger(__name__)

# The most posts one e-mail lists (it says how many more there were).
MAIL_MOST = 50
EXCERPT = 280
TIMEOUT_SECONDS = 15
RETRY_LATER = frozenset({408, 429})
USER_AGENT = "Zwitscher monitor webhook"


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[:EXCERPT - 1].rstrip() + "…"


async def _posts(uow: UnitOfWork, status_ids: list[int], terms: dict[int, list[str]]
                 ) -> list[dict]:
    """The posts as alerts describe them, in the order of `status_ids`."""
    origin = uow.settings.base_url.rstrip("/")
    rows = {row.id: row for row in [await uow.statuses.get(i) for i in status_ids] if row}
    authors = await uow.accounts.get_many({row.account_id for row in rows.values()})
    posts = []
    for status_id in status_ids:
        row = rows.get(status_id)
        author = authors.get(row.account_id) if row else None
        if row is None or author is None:
            continue
        posts.append({"id": str(row.id), "url": f"{origin}/@{author.username}/{row.id}",
                      "created_at": row.created_at.isoformat().replace("+00:00", "Z"),
                      "language": row.language, "visibility": row.visibility,
                      "spoiler_text": row.spoiler_text, "text": _excerpt(row.text),
                      "account": {"id": str(author.id), "username": author.username,
                                  "acct": author.username,
                                  "display_name": author.display_name or author.username},
                      "terms": list(terms.get(row.id, []))})
    return posts


async def mail_monitor_alert(uow: UnitOfWork, job: MailMonitorAlert) -> None:
    monitor = await uow.monitors.get(job.monitor_id)
    if monitor is None:
        return
    people = await uow.accounts.reachable([job.account_id])
    if not people or not people[0].email \
            or not await may_read_monitor(uow, monitor, job.account_id):
        await uow.monitors.mail_sent(monitor.id, job.account_id, through_id=None, next_at=None)
        return
    person = people[0]
    values = dict(monitor=monitor.name, path=f"/web/monitors/{monitor.id}",
                  alert_kind=job.kind, counts=dict(job.counts or {}), posts=[], more=0)
    if job.kind == MATCH:
        state = await uow.monitors.mail_state(monitor.id, job.account_id)
        after = state.sent_through_id if state else 0
        rows = await uow.monitors.since(monitor.id, after, job.account_id, limit=MAIL_MOST + 1)
        if not rows:
            await uow.monitors.mail_sent(monitor.id, job.account_id, through_id=None,
                                         next_at=None)
            return
        shown = rows[:MAIL_MOST]
        values["posts"] = await _posts(uow, [row.id for row in shown],
                                       {row.id: row.terms for row in shown})
        values["more"] = len(rows) - len(shown)
        await uow.monitors.mail_sent(
            monitor.id, job.account_id, through_id=shown[-1].id,
            next_at=utcnow() + timedelta(seconds=uow.settings.monitor_mail_interval_seconds))
    await queue_mail(uow, kind="monitor_alert", to=person.email,
                     name=person.display_name or person.username,
                     language=person.locale.split("-")[0], **values)


def spike_text(counts: dict, language: str) -> str:
    """A spike in a sentence, as its e-mail says it: "37 matches in the last 60 minutes,
    usually 4 an hour"."""
    matches, usual = counts.get("matches", 0), counts.get("usual", 0)
    return i18n.translations(language).ngettext(
        "%(num)s match in the last 60 minutes, usually %(usual)s an hour",
        "%(num)s matches in the last 60 minutes, usually %(usual)s an hour",
        matches) % {"num": matches, "usual": usual}


async def push_monitor_alert(uows: UnitsOfWork, job: PushMonitorAlert) -> None:
    async with uows.read() as uow:
        monitor = await uow.monitors.get(job.monitor_id)
        key = await uow.server_keys.get(VAPID_KEY)
        if monitor is None or key is None \
                or not await may_read_monitor(uow, monitor, job.account_id):
            return
        visible = await uow.monitors.visible_among(list(job.status_ids), job.account_id)
        if job.kind == MATCH and not visible:
            return
        posts = await _posts(uow, visible, {})
        devices = await uow.push_subscriptions.targets([job.account_id])
        people = await uow.accounts.reachable([job.account_id])
    language = people[0].locale.split("-")[0] if people else "en"
    title = f"🔔 {monitor.name}"
    if job.kind == MATCH:
        first = posts[0]
        body = f"@{first['account']['acct']}: {first['text']}"[:500]
    else:
        body = spike_text(job.counts or {}, language)
    gone, later = [], 0
    for device in devices:
        message = {"access_token": device.access_token, "preferred_locale": language,
                   "notification_id": f"monitor-{monitor.id}-{job.kind}-"
                                      f"{(posts[0]['id'] if posts else int(time.time()))}",
                   "notification_type": f"monitor.{job.kind}", "icon": "",
                   "title": title, "body": body, "url": f"/web/monitors/{monitor.id}"}
        try:
            if await push_message(uows.settings, subscription=device, message=message,
                                  private_key_pem=key.private_key):
                gone.append(device.id)
        except TemporaryFailure as exc:
            log.info("monitor push to subscription %s failed for now: %s", device.id, exc)
            later += 1
    if gone:
        async with uows.write() as uow:
            for subscription_id in gone:
                await uow.push_subscriptions.delete(subscription_id)
    if later and later == len(devices):
        raise TemporaryFailure("no push service took the monitor's alert")


async def _webhook_body(uow: UnitOfWork, monitor: sa.Row, job: SendMonitorWebhook
                        ) -> bytes | None:
    if not await webhook_sends(uow, monitor):
        log.info("monitor %s: whoever set its webhook no longer reads it; not sent", monitor.id)
        return None
    reader = webhook_reader(monitor)
    visible = await uow.monitors.visible_among(list(job.status_ids), reader)
    if job.kind == MATCH and not visible:
        return None
    terms = {}
    for status_id in visible:
        matched = await uow.monitors.matched(status_id)
        terms[status_id] = matched.get(monitor.id, [])
    return orjson.dumps({
        "id": job.delivery_id, "event": f"monitor.{job.kind}",
        "created_at": utcnow().isoformat().replace("+00:00", "Z"),
        "monitor": {"id": str(monitor.id), "name": monitor.name,
                    "url": uow.settings.base_url.rstrip("/") + f"/web/monitors/{monitor.id}"},
        "statuses": await _posts(uow, visible, terms),
        "counts": dict(job.counts or {})})


async def send_monitor_webhook(uows: UnitsOfWork, job: SendMonitorWebhook) -> None:
    allowed = uows.settings.monitor_webhook_allowed_networks
    async with uows.read() as uow:
        monitor = await uow.monitors.get(job.monitor_id)
        if monitor is None or not monitor.webhook_url:
            return
        try:
            url = checked_webhook_url(monitor.webhook_url, allowed=allowed)
        except ValidationFailed:
            log.warning("monitor %s: webhook not on the public internet; not sent", monitor.id)
            return
        body = await _webhook_body(uow, monitor, job)
        secret = monitor.webhook_secret or ""
    if body is None:
        return
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
               "X-Zwitscher-Event": f"monitor.{job.kind}",
               "X-Zwitscher-Delivery": job.delivery_id,
               "X-Zwitscher-Timestamp": timestamp,
               "X-Zwitscher-Signature": sign(secret, timestamp, body)}
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    try:
        async with public_only_session(timeout, allowed=allowed) as session, \
                session.post(url, data=body, headers=headers, allow_redirects=False) as answer:
            status = answer.status
    except NotPublic as exc:
        log.warning("monitor %s: webhook host %s is not public; not sent", job.monitor_id, exc)
        return
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise TemporaryFailure(f"monitor webhook unreachable: {exc!r}") from exc
    if status in RETRY_LATER or status >= 500:
        raise TemporaryFailure(f"monitor webhook answered {status}")
    if not 200 <= status < 300:
        log.warning("monitor %s: webhook refused the alert with %s", job.monitor_id, status)
