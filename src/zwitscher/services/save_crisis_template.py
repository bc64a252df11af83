"""The crisis desk prepares what it will send in a hurry: a template's title and text with
placeholders, its audience, its channels and its escalation. Everything that could fail when
it is sent is checked here, when there is time to fix it: an unknown placeholder, a group or
contact list that does not exist, a channel we do not have, an account the sender may not
post as."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.crisis_texts import (
    MAX_ESCALATION_SECONDS,
    MIN_ESCALATION_SECONDS,
    check_channels,
    placeholders_in,
)
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.policies.crises import check_sending_account, require_crisis_desk
from zwitscher.services.record_audit import record_audit

MAX_NAME = 100
MAX_TITLE = 200
MAX_TEXT = 2000
MAX_AUDIENCE_PARTS = 50


@dataclass(frozen=True, slots=True)
class CrisisPlan:
    """What a template holds, and what a crisis is sent with."""

    title: str
    text: str
    group_ids: tuple[int, ...] = ()
    contact_list_ids: tuple[int, ...] = ()
    channels: tuple[str, ...] = ("stream", "push", "email", "sms")
    escalation: tuple[str, ...] = ()
    escalate_after_seconds: int = 600
    public: bool = False
    # The account that posts it (None: the sender's own).
    account_id: int | None = None


async def save_crisis_template(uow: UnitOfWork, *, actor: Actor, name: str, plan: CrisisPlan,
                               template_id: int | None = None) -> sa.Row:
    require_crisis_desk(actor.role)
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise ValidationFailed("A template needs a name of at most %(count)s characters",
                               count=MAX_NAME)
    await check_plan(uow, actor=actor, plan=plan)
    values = {"name": name, "title": plan.title.strip(), "text": plan.text.strip(),
              "account_id": plan.account_id, "group_ids": list(plan.group_ids),
              "contact_list_ids": list(plan.contact_list_ids),
              "channels": list(plan.channels), "escalation": list(plan.escalation),
              "escalate_after_seconds": plan.escalate_after_seconds, "public": plan.public,
              "updated_at": utcnow()}
    if template_id is None:
        template_id = await uow.crisis_templates.add(
            **values, created_by_id=actor.account_id, created_at=values["updated_at"])
        action = "crisis_template.create"
    else:
        if await uow.crisis_templates.get(template_id) is None:
            raise NotFound("No such template")
        await uow.crisis_templates.update(template_id, **values)
        action = "crisis_template.update"
    await record_audit(uow, actor=actor, action=action, target_type="crisis_template",
                       target_id=template_id, name=name)
    return await uow.crisis_templates.get(template_id)


async def delete_crisis_template(uow: UnitOfWork, *, actor: Actor, template_id: int) -> None:
    require_crisis_desk(actor.role)
    template = await uow.crisis_templates.get(template_id)
    if template is None:
        raise NotFound("No such template")
    await uow.crisis_templates.delete(template_id)
    await record_audit(uow, actor=actor, action="crisis_template.delete",
                       target_type="crisis_template", target_id=template_id,
                       name=template.name)


async def check_plan(uow: UnitOfWork, *, actor: Actor, plan: CrisisPlan) -> None:
    """ValidationFailed, NotFound or Forbidden for a plan that could not be sent."""
    title, text = plan.title.strip(), plan.text.strip()
    if not title or len(title) > MAX_TITLE:
        raise ValidationFailed("A crisis needs a title of at most %(count)s characters",
                               count=MAX_TITLE)
    if not text or len(text) > MAX_TEXT:
        raise ValidationFailed("A crisis needs a text of at most %(count)s characters",
                               count=MAX_TEXT)
    placeholders_in(title)
    placeholders_in(text)
    check_channels(list(plan.channels), list(plan.escalation))
    if not MIN_ESCALATION_SECONDS <= plan.escalate_after_seconds <= MAX_ESCALATION_SECONDS:
        raise ValidationFailed("Escalation comes after 15 seconds to 24 hours")
    if not plan.group_ids and not plan.contact_list_ids and not plan.public:
        raise ValidationFailed("A crisis needs an audience: groups, contact lists or the public")
    if len(plan.group_ids) + len(plan.contact_list_ids) > MAX_AUDIENCE_PARTS:
        raise ValidationFailed("At most %(count)s groups and contact lists",
                               count=MAX_AUDIENCE_PARTS)
    groups = await uow.groups.get_many(set(plan.group_ids))
    if missing := [g for g in plan.group_ids if g not in groups]:
        raise ValidationFailed("No group with id %(id)s", id=str(missing[0]))
    lists = await uow.contact_lists.get_many(list(plan.contact_list_ids))
    if missing := [c for c in plan.contact_list_ids if c not in lists]:
        raise ValidationFailed("No contact list with id %(id)s", id=str(missing[0]))
    await check_sending_account(uow, person_id=actor.account_id, role=actor.role,
                                account_id=plan.account_id or actor.account_id)
