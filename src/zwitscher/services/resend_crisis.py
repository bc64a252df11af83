"""One action on the dashboard: send the crisis again to everyone it has not reached (no
channel handed it over, and they have not opened it), on every channel it has, escalation
channels included. Each re-send is a round of its own, so its deliveries and jobs never mix
with earlier ones."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.policies.crises import require_crisis_desk
from zwitscher.services.record_audit import record_audit
from zwitscher.services.send_crisis import queue_deliveries

RESEND_ROUNDS = 100


async def resend_crisis(uow: UnitOfWork, *, actor: Actor, crisis_id: int) -> int:
    """How many recipients it went to again."""
    require_crisis_desk(actor.role)
    crisis = await uow.crises.get(crisis_id)
    if crisis is None:
        raise NotFound("Record not found")
    if crisis.closed_at is not None:
        raise ValidationFailed("This crisis is closed")
    waiting = await uow.crises.not_reached(crisis_id)
    if waiting:
        round = max(await uow.crises.highest_round(crisis_id), RESEND_ROUNDS) + 1
        channels = list(dict.fromkeys([*crisis.channels, *crisis.escalation]))
        await queue_deliveries(uow, crisis_id=crisis_id, channels=channels, round=round,
                               recipients=[recipient._mapping for recipient in waiting])
    await record_audit(uow, actor=actor, action="crisis.resend", target_type="crisis",
                       target_id=crisis_id, recipients=len(waiting))
    return len(waiting)
