"""Admins set how long statuses of each visibility are kept (docs/data-rights.md); before
they save, the console shows what the policy would delete at its next run
(`count_past_policy`). The policy is an instance setting (`instance_settings`, named
`retention`), read by the job at each run (`apply_retention`)."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden
from zwitscher.domain.retention import RetentionPolicy
from zwitscher.domain.roles import Actor
from zwitscher.services.record_audit import record_audit

SETTING = "retention"


async def retention_policy(uow: UnitOfWork) -> RetentionPolicy:
    return RetentionPolicy.stored((await uow.instance_settings.stored()).get(SETTING))


async def count_past_policy(uow: UnitOfWork, *, actor: Actor,
                            policy: RetentionPolicy) -> dict[str, int]:
    """How many statuses of each visibility the policy would delete if it ran now."""
    if not actor.administers:
        raise Forbidden("Only admins may change the instance's settings")
    now = utcnow()
    return await uow.removals.count_past_retention(policy.cutoffs(now), now=now)


async def set_retention_policy(uow: UnitOfWork, *, actor: Actor,
                               policy: RetentionPolicy) -> bool:
    """Returns whether anything changed."""
    if not actor.administers:
        raise Forbidden("Only admins may change the instance's settings")
    before = await retention_policy(uow)
    if before.stored_value() == policy.stored_value():
        return False
    await uow.instance_settings.put({SETTING: policy.stored_value()})
    await record_audit(uow, actor=actor, action="retention.configured", target_type="instance",
                       target_id=None, max_age_seconds=policy.stored_value(),
                       before=before.stored_value())
    return True
