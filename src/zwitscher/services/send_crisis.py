"""Send a crisis broadcast: a priority post, and the same message through every channel at once.

In one transaction:
1. the crisis row, with its text filled in (`domain/crisis_texts.py`);
2. the post, by the sending account: public for a public crisis, addressed to its groups
   otherwise (and, for contact lists alone, a direct post only its author reads: the record);
3. one recipient per person in its groups (and the groups below them) and per contact in its
   contact lists;
4. for people, a `status` notification of the post (streamed to their open streams the moment
   the transaction commits, whatever their mutes and notification filters say);
5. one delivery per recipient and channel (push to people, e-mail and SMS to whoever has an
   address; `skipped` where there is none, so the dashboard shows why), and one delivery job
   per channel (`services/deliver_crisis.py`);
6. the first escalation step, queued for when it is due.
A rollback takes everything back: nothing goes out for a crisis that does not exist.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, home_channel
from zwitscher.domain.clock import utcnow
from zwitscher.domain.crisis_texts import (
    ACCOUNT_CHANNELS,
    EMAIL,
    PUSH,
    QUEUED,
    SKIPPED,
    SMS,
    STREAM,
    fill,
    missing_values,
)
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.ids import new_id
from zwitscher.domain.jobs import DeliverCrisis, EscalateCrisis
from zwitscher.domain.roles import Actor
from zwitscher.domain.visibility import Visibility
from zwitscher.policies.crises import require_crisis_desk
from zwitscher.services.post_status import MAX_GROUPS, StatusDraft, post_status
from zwitscher.services.record_audit import record_audit
from zwitscher.services.save_crisis_template import CrisisPlan, check_plan

PUBLIC_PATH = "/crisis/status"
MAX_VALUE = 300


async def send_crisis(uow: UnitOfWork, *, actor: Actor, plan: CrisisPlan,
                      values: dict[str, str], template_id: int | None = None) -> sa.Row:
    crisis_id = new_id()
    title, text = await check_crisis(uow, actor=actor, plan=plan, values=values,
                                     template_id=template_id, crisis_id=crisis_id)
    account_id = plan.account_id or actor.account_id
    now = utcnow()
    await uow.crises.add(
        crisis_id=crisis_id, title=title, text=text, account_id=account_id,
        sent_by_id=actor.account_id,
        template_id=template_id, group_ids=list(plan.group_ids),
        contact_list_ids=list(plan.contact_list_ids), channels=list(plan.channels),
        escalation=list(plan.escalation), escalate_after_seconds=plan.escalate_after_seconds,
        public=plan.public, created_at=now)
    status = await post_status(uow, author_id=account_id, posted_by_id=actor.account_id,
                               draft=_post(title, text, plan))
    await uow.crises.update(crisis_id, status_id=status.id)
    recipients = await _recipients(uow, plan)
    ids = await uow.crises.add_recipients(crisis_id, recipients)
    people = {row["account_id"]: recipient_id
              for recipient_id, row in zip(ids, recipients, strict=True) if row["account_id"]}
    if people and ACCOUNT_CHANNELS & set(plan.channels):
        notified = await uow.crises.add_notifications(
            from_account_id=account_id, status_id=status.id, account_ids=list(people), at=now)
        if STREAM in plan.channels:
            for person_id, notification_id in notified.items():
                uow.publish(home_channel(person_id), Event.NOTIFICATION, None,
                            notification_id=notification_id, account_ids=[account_id])
    await queue_deliveries(uow, crisis_id=crisis_id, channels=plan.channels, round=0,
                           recipients=[{**row, "id": recipient_id}
                                       for recipient_id, row in zip(ids, recipients,
                                                                    strict=True)])
    if plan.escalation:
        await uow.enqueue(EscalateCrisis(crisis_id=crisis_id, step=1),
                          delay=timedelta(seconds=plan.escalate_after_seconds))
    await record_audit(uow, actor=actor, action="crisis.send", target_type="crisis",
                       target_id=crisis_id, title=title, recipients=len(ids))
    return await uow.crises.get(crisis_id)


async def check_crisis(uow: UnitOfWork, *, actor: Actor, plan: CrisisPlan,
                       values: dict[str, str], template_id: int | None = None,
                       crisis_id: int | None = None) -> tuple[str, str]:
    """The title and text as they would go out, filled in; or the refusal `send_crisis` would
    give. The crisis desk's confirmation step asks this before anything is sent (with no
    crisis id yet, its `{link}` shows the page's address without it)."""
    require_crisis_desk(actor.role)
    await check_plan(uow, actor=actor, plan=plan)
    if len(plan.group_ids) > MAX_GROUPS:
        raise ValidationFailed("A crisis post reaches at most %(count)s groups", count=MAX_GROUPS)
    if template_id is not None and await uow.crisis_templates.get(template_id) is None:
        raise NotFound("No such template")
    return _filled(plan, values, link=post_link(uow.settings, crisis_id, public=plan.public))


async def queue_deliveries(uow: UnitOfWork, *, crisis_id: int, channels, round: int,
                           recipients: list) -> int:
    """A delivery per recipient (rows or dicts with id, account_id, email, phone) and channel
    that has one, and a delivery job per channel that has any queued; how many were queued."""
    queued = 0
    for channel in channels:
        if channel == STREAM:
            continue
        rows = [{"recipient_id": recipient["id"], "channel": channel, "round": round,
                 "state": QUEUED if _reachable(recipient, channel) else SKIPPED,
                 "error": None if _reachable(recipient, channel) else _why_not(channel)}
                for recipient in recipients
                if channel != PUSH or recipient["account_id"]]
        await uow.crises.add_deliveries(crisis_id, rows)
        if waiting := sum(row["state"] == QUEUED for row in rows):
            queued += waiting
            await uow.enqueue(DeliverCrisis(crisis_id=crisis_id, channel=channel, round=round))
    return queued


def post_link(settings, crisis_id: int | None, *, public: bool) -> str:
    """What `{link}` is in the post: the dark site for a public crisis (anyone may open it),
    else the crisis's page in the web interface, where its recipients answer once signed in.
    E-mails and text messages carry each recipient's own link in its place."""
    origin = settings.base_url.rstrip("/")
    return origin + (PUBLIC_PATH if public else f"/web/crises/{crisis_id or ''}")


def _filled(plan: CrisisPlan, values: dict[str, str], *, link: str) -> tuple[str, str]:
    values = {name: value.strip() for name, value in values.items()}
    if too_long := [name for name, value in values.items() if len(value) > MAX_VALUE]:
        raise ValidationFailed("The value of %(placeholder)s is longer than %(count)s characters",
                               placeholder=f"{{{too_long[0]}}}", count=MAX_VALUE)
    if missing := missing_values([plan.title, plan.text], values):
        raise ValidationFailed("Fill in %(placeholders)s",
                               placeholders=", ".join(f"{{{name}}}" for name in missing))
    values["link"] = link
    return fill(plan.title.strip(), values), fill(plan.text.strip(), values)


def _post(title: str, text: str, plan: CrisisPlan) -> StatusDraft:
    body = f"{title}\n\n{text}"
    if plan.public:
        return StatusDraft(text=body, visibility=Visibility.PUBLIC)
    if plan.group_ids:
        return StatusDraft(text=body, visibility=Visibility.GROUP,
                           group_ids=tuple(plan.group_ids))
    return StatusDraft(text=body, visibility=Visibility.DIRECT)


async def _recipients(uow: UnitOfWork, plan: CrisisPlan) -> list[dict]:
    """Each person once (with the first of the crisis's groups they are in) and each
    contact; people who are deactivated or have not been approved are nobody to reach."""
    found: dict[int, int] = {}
    for group_id in plan.group_ids:
        for account_id in await uow.groups.member_ids([group_id]):
            found.setdefault(account_id, group_id)
    people = await uow.accounts.reachable(list(found))
    rows = [{"account_id": person.account_id, "group_id": found[person.account_id],
             "name": person.display_name or person.username, "email": person.email,
             "phone": None, "language": person.locale.split("-")[0]}
            for person in people]
    for contact in await uow.contact_lists.contacts_of(list(plan.contact_list_ids)):
        rows.append({"contact_id": contact.id, "contact_list_id": contact.list_id,
                     "account_id": None, "name": contact.name, "email": contact.email,
                     "phone": contact.phone, "language": contact.language})
    return rows


def _reachable(recipient, channel: str) -> bool:
    if channel == EMAIL:
        return bool(recipient["email"])
    if channel == SMS:
        return bool(recipient["phone"])
    return True


def _why_not(channel: str) -> str:
    return {EMAIL: "no e-mail address", SMS: "no phone number"}[channel]
