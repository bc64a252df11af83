"""The crisis desk closes a crisis: the banner leaves every page, escalation stops, and the
dark site (if it showed this crisis) gives the start page back. Its dashboard, posts and
answers stay, for the record."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, crisis_channel
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound
from zwitscher.domain.roles import Actor
from zwitscher.policies.crises import require_crisis_desk
from zwitscher.services.record_audit import record_audit


async def close_crisis(uow: UnitOfWork, *, actor: Actor, crisis_id: int) -> None:
    require_crisis_desk(actor.role)
    crisis = await uow.crises.get(crisis_id)
    if crisis is None:
        raise NotFound("Record not found")
    if crisis.closed_at is None:
        await uow.crises.update(crisis_id, closed_at=utcnow(), dark_site=False)
        uow.publish(crisis_channel(crisis_id), Event.CRISIS_CHANGED, None)
        await record_audit(uow, actor=actor, action="crisis.close", target_type="crisis",
                           target_id=crisis_id)
