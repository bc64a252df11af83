"""Close a legal hold: an owner or admin ends it before its time (or withdraws one nobody
decided yet), or it reaches its end (the `legal_hold.end` job). From that moment nobody reads
the messages it concerned and deletion no longer passes the person's data by; the person is
told that it ended (and, if they were not told before, that it was there).
"""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.roles import SCHEDULE, Actor
from zwitscher.policies.legal_holds import APPROVED, CLOSED, PENDING
from zwitscher.services.record_audit import record_audit
from zwitscher.services.review_legal_holds import TARGET, check_taking_part, hold_for
from zwitscher.services.tell_about_legal_hold import tell_ended


async def close_legal_hold(uow: UnitOfWork, *, actor: Actor, hold_id: int) -> None:
    hold, role = await hold_for(uow, actor=actor, hold_id=hold_id)
    check_taking_part(actor, hold.account_id, role)
    if hold.state not in (PENDING, APPROVED):
        raise ValidationFailed("The legal hold is closed already")
    await uow.legal_holds.update(hold.id, state=CLOSED, closed_by_id=actor.account_id,
                                 closed_at=utcnow())
    await record_audit(uow, actor=actor, action="legal_hold.closed", target_type=TARGET,
                       target_id=hold.id, account_id=str(hold.account_id), was=hold.state)
    if hold.state == APPROVED:
        await tell_ended(uow, hold, ended_by_id=actor.account_id)


async def end_legal_hold(uow: UnitOfWork, *, hold_id: int) -> None:
    """The hold's end has come (a hold closed meanwhile, or gone, is done)."""
    hold = await uow.legal_holds.get(hold_id)
    if hold is None or hold.state != APPROVED or hold.ends_at > utcnow():
        return
    await uow.legal_holds.update(hold.id, state=CLOSED, closed_at=utcnow())
    await record_audit(uow, actor=SCHEDULE, action="legal_hold.ended", target_type=TARGET,
                       target_id=hold.id, account_id=str(hold.account_id))
    await tell_ended(uow, hold, ended_by_id=None)
