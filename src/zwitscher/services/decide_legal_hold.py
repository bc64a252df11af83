"""The second pair of eyes on a legal hold: another owner or admin than the one who opened it
approves it (it is in force from then on, until its end or until it is closed) or rejects it
(it never was).

On approval the person is told (unless the case says "not yet", `tell_about_legal_hold`), and
the hold's end is scheduled: then it closes by itself.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, ValidationFailed
from zwitscher.domain.jobs import EndLegalHold
from zwitscher.domain.roles import Actor
from zwitscher.policies.legal_holds import APPROVED, PENDING, REJECTED
from zwitscher.services.open_legal_hold import MAX_REASON, check_text
from zwitscher.services.record_audit import record_audit
from zwitscher.services.review_legal_holds import TARGET, check_taking_part, hold_for
from zwitscher.services.tell_about_legal_hold import tell_placed


async def approve_legal_hold(uow: UnitOfWork, *, actor: Actor, hold_id: int) -> None:
    hold = await _decidable(uow, actor, hold_id)
    now = utcnow()
    if hold.ends_at <= now:
        raise ValidationFailed("The legal hold's end has passed: open a new one")
    await uow.legal_holds.update(hold.id, state=APPROVED, decided_by_id=actor.account_id,
                                 decided_at=now)
    await uow.enqueue(EndLegalHold(hold_id=hold.id), delay=hold.ends_at - now)
    await record_audit(uow, actor=actor, action="legal_hold.approved", target_type=TARGET,
                       target_id=hold.id, account_id=str(hold.account_id))
    if not hold.notice_deferred_because:
        await tell_placed(uow, await uow.legal_holds.get(hold.id), told_by_id=actor.account_id)


async def reject_legal_hold(uow: UnitOfWork, *, actor: Actor, hold_id: int, note: str) -> None:
    hold = await _decidable(uow, actor, hold_id)
    note = check_text(note, maximum=MAX_REASON)
    await uow.legal_holds.update(hold.id, state=REJECTED, decided_by_id=actor.account_id,
                                 decided_at=utcnow(), decision_note=note)
    await record_audit(uow, actor=actor, action="legal_hold.rejected", target_type=TARGET,
                       target_id=hold.id, account_id=str(hold.account_id), note=note)


async def _decidable(uow: UnitOfWork, actor: Actor, hold_id: int) -> sa.Row:
    hold, role = await hold_for(uow, actor=actor, hold_id=hold_id)
    check_taking_part(actor, hold.account_id, role)
    if actor.account_id == hold.opened_by_id:
        raise Forbidden("A second owner or admin decides: not the one who opened the legal "
                        "hold")
    if hold.state != PENDING:
        raise ValidationFailed("The legal hold was decided or closed already")
    return hold
