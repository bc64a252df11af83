"""Create a monitor: a saved query of one person, or of a team (a group).

Everything is checked before anything is stored (`domain/monitors.py`); a refusal changes
nothing. Storing it bumps the monitors' version in the same transaction, so every process
rebuilds its matcher before it matches the next post.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.domain.ids import new_id
from zwitscher.domain.monitors import (
    MAX_MONITORS_PER_OWNER,
    MAX_TERMS,
    MAX_WEBHOOK_SECRET,
    MonitorQuery,
    Term,
    check_size,
    checked_hashtags,
    checked_languages,
    checked_name,
    checked_terms,
    checked_webhook_url,
)
from zwitscher.domain.roles import Actor
from zwitscher.policies.groups import may_read_group

# More than this many raw terms is refused before any of them is looked at.
_MOST_RAW = MAX_TERMS * 2


@dataclass(frozen=True, slots=True)
class MonitorDraft:
    name: str
    keywords: tuple[Term, ...] = ()
    exclusions: tuple[Term, ...] = ()
    languages: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    account_ids: tuple[int, ...] = ()
    group_ids: tuple[int, ...] = ()
    alert_email: bool = False
    alert_push: bool = False
    webhook_url: str | None = None
    webhook_secret: str | None = None
    # Whether the change names the webhook's address (PATCH may leave it out): whoever gives
    # it, even unchanged, takes the webhook over (docs/monitoring.md, "Alerts").
    webhook_url_given: bool = True


async def create_monitor(uow: UnitOfWork, *, actor: Actor, draft: MonitorDraft,
                         team_id: int | None = None) -> sa.Row:
    if actor.account_id is None:
        raise Forbidden("Only people keep monitors")
    if team_id is not None and not await may_read_group(
            uow, account_id=actor.account_id, role=actor.role, group_id=team_id):
        raise NotFound("No such group")
    # Its creator must read it (`policies/monitors.py`): an admin outside the team too.
    if team_id is not None and not await uow.groups.is_member(actor.account_id, team_id) \
            and not await uow.groups.manages(actor.account_id, team_id):
        raise Forbidden("Only members of a team keep monitors for it")
    values = await checked_values(uow, actor=actor, draft=draft, webhook_secret=None)
    owned = await uow.monitors.count_owned(
        owner_id=None if team_id else actor.account_id, group_id=team_id)
    if owned >= MAX_MONITORS_PER_OWNER:
        raise ValidationFailed("At most %(count)s monitors per person or team",
                               count=MAX_MONITORS_PER_OWNER)
    monitor_id, now = new_id(), utcnow()
    await uow.monitors.add(monitor_id=monitor_id, owner_id=None if team_id else actor.account_id,
                           group_id=team_id, created_by_id=actor.account_id, created_at=now,
                           updated_at=now, **values)
    return await uow.monitors.get(monitor_id)


async def checked_values(uow: UnitOfWork, *, actor: Actor, draft: MonitorDraft,
                         webhook_secret: str | None) -> dict:
    """The columns of a monitor from `draft`, every part checked (a 422 otherwise)."""
    raw = (len(draft.keywords) + len(draft.exclusions) + len(draft.hashtags)
           + len(draft.account_ids) + len(draft.group_ids))
    if raw > _MOST_RAW:
        raise ValidationFailed("A monitor has at most %(count)s terms, not %(given)s",
                               count=MAX_TERMS, given=raw)
    query = MonitorQuery(
        keywords=checked_terms(draft.keywords), exclusions=checked_terms(draft.exclusions),
        languages=checked_languages(draft.languages), hashtags=checked_hashtags(draft.hashtags),
        account_ids=tuple(dict.fromkeys(draft.account_ids)),
        group_ids=tuple(dict.fromkeys(draft.group_ids)))
    check_size(query)
    if query.account_ids:
        found = await uow.accounts.get_many(list(query.account_ids))
        if len(found) != len(query.account_ids):
            raise ValidationFailed("No such account among the monitor's accounts")
    for group_id in query.group_ids:
        if not await may_read_group(uow, account_id=actor.account_id, role=actor.role,
                                    group_id=group_id) or await uow.groups.get(group_id) is None:
            raise ValidationFailed("No such group among the monitor's groups")
    url = draft.webhook_url.strip() if draft.webhook_url else None
    if url:
        url = checked_webhook_url(url, allowed=uow.settings.monitor_webhook_allowed_networks)
    secret = (draft.webhook_secret or "").strip() or webhook_secret
    if url and not secret:
        secret = secrets.token_urlsafe(32)
    if secret and len(secret) > MAX_WEBHOOK_SECRET:
        raise ValidationFailed("A webhook secret is at most %(count)s characters",
                               count=MAX_WEBHOOK_SECRET)
    values = {"name": checked_name(draft.name), **query.stored(),
              "alert_email": draft.alert_email, "alert_push": draft.alert_push,
              "webhook_url": url or None, "webhook_secret": secret if url else None}
    if draft.webhook_url_given:  # whoever gives the address, the webhook reads as them
        values["webhook_set_by_id"] = actor.account_id if url else None
    return values
