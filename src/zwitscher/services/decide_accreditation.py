"""The press desk decides a confirmed accreditation request: approve it into the press groups
it chooses (those asked for, or others), which makes the journalist a guest account there and
e-mails them (`admit_journalist`); or reject it with a reason, which is e-mailed to them.
Both are in the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.policies.press import APPROVED, PENDING, REJECTED, UNCONFIRMED
from zwitscher.services.admit_journalist import (
    Admitted,
    Journalist,
    admit_journalist,
    checked_note,
    press_groups_named,
)
from zwitscher.services.invite_journalist import TARGET, check_press_desk
from zwitscher.services.queue_mail import queue_mail
from zwitscher.services.record_audit import record_audit


async def approve_accreditation(uow: UnitOfWork, *, actor: Actor, accreditation_id: int,
                                group_ids: Sequence[int]) -> Admitted:
    row = await _pending(uow, actor, accreditation_id)
    groups = await press_groups_named(uow, group_ids)
    admitted = await admit_journalist(
        uow, actor=actor, journalist=Journalist(row.name, row.email, row.outlet, row.position,
                                                row.work_url),
        groups=groups, language=row.language, message="accreditation_approved")
    await uow.press_accreditations.update(row.id, state=APPROVED, decided_by_id=actor.account_id,
                                          decided_at=utcnow(), account_id=admitted.account_id)
    await uow.press_accreditations.add_groups(row.id, [g.id for g in groups], granted=True)
    await record_audit(uow, actor=actor, action="press.accreditation_approved",
                       target_type=TARGET, target_id=row.id,
                       account_id=str(admitted.account_id), username=admitted.username,
                       new_account=admitted.new_account, group_ids=[str(g.id) for g in groups])
    return replace(admitted, accreditation_id=row.id)


async def reject_accreditation(uow: UnitOfWork, *, actor: Actor, accreditation_id: int,
                               reason: str) -> None:
    row = await _pending(uow, actor, accreditation_id)
    reason = checked_note(reason)
    if not reason:
        raise ValidationFailed("Please give the reason: the journalist is told it")
    await uow.press_accreditations.update(row.id, state=REJECTED, decided_by_id=actor.account_id,
                                          decided_at=utcnow(), decision_note=reason)
    await queue_mail(uow, kind="accreditation_rejected", to=row.email, name=row.name,
                     language=row.language, outlet=row.outlet, reason=reason)
    await record_audit(uow, actor=actor, action="press.accreditation_rejected",
                       target_type=TARGET, target_id=row.id, reason=reason)


async def _pending(uow: UnitOfWork, actor: Actor, accreditation_id: int) -> sa.Row:
    check_press_desk(actor)
    row = await uow.press_accreditations.get(accreditation_id)
    if row is None or row.state == UNCONFIRMED:
        raise NotFound()
    if row.state != PENDING:
        raise ValidationFailed("This request was decided already")
    return row
