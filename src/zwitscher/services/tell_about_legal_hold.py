"""Tell a person about a legal hold on their account: a notification (from the admin who
approved it, or who ended it) and an e-mail with the case's facts.

By default the person is told as soon as the hold is approved. A case may say "not yet", with a
reason (telling might warn someone an investigation is about); then the person is told when an
admin decides it is time (`tell_person_now`), and at the latest when the hold ends. When it
ends they are told so, with the reason for the delay if they were told only then. What the
person learns: that there is a hold, its reference, who opened and who approved it, the time
range of the messages concerned and when it ends. The case's own reason stays with the admins.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.policies.legal_holds import in_force
from zwitscher.services.notify import LEGAL_HOLD_ENDED, LEGAL_HOLD_PLACED, notify
from zwitscher.services.queue_mail import queue_mail
from zwitscher.services.record_audit import record_audit
from zwitscher.services.review_legal_holds import TARGET, check_taking_part, hold_for


async def tell_person_now(uow: UnitOfWork, *, actor: Actor, hold_id: int) -> None:
    """End a delay: the person is told of the hold in force now."""
    hold, role = await hold_for(uow, actor=actor, hold_id=hold_id)
    check_taking_part(actor, hold.account_id, role)
    if not in_force(hold, utcnow()):
        raise ValidationFailed("The legal hold is not in force")
    if hold.person_told_at is not None:
        raise ValidationFailed("The person was told already")
    await tell_placed(uow, hold, told_by_id=actor.account_id)
    await record_audit(uow, actor=actor, action="legal_hold.person_told", target_type=TARGET,
                       target_id=hold.id, account_id=str(hold.account_id))


async def tell_placed(uow: UnitOfWork, hold: sa.Row, *, told_by_id: int | None) -> None:
    await _tell(uow, hold, type=LEGAL_HOLD_PLACED, kind="legal_hold_placed",
                from_id=told_by_id or hold.decided_by_id)


async def tell_ended(uow: UnitOfWork, hold: sa.Row, *, ended_by_id: int | None) -> None:
    await _tell(uow, hold, type=LEGAL_HOLD_ENDED, kind="legal_hold_ended",
                from_id=ended_by_id or hold.decided_by_id)


async def _tell(uow: UnitOfWork, hold: sa.Row, *, type: str, kind: str,
                from_id: int | None) -> None:
    told_before = hold.person_told_at is not None
    if not told_before:
        await uow.legal_holds.update(hold.id, person_told_at=utcnow())
    # Told only now of a hold that was in force before: they learn why.
    delayed = bool(hold.notice_deferred_because) and not told_before
    person = await uow.accounts.get(hold.account_id) if hold.account_id else None
    user = await uow.accounts.user_for_account(person.id) if person else None
    if person is None or user is None:
        return  # the account is gone: there is nobody left to tell
    if from_id is not None and await uow.accounts.get(from_id) is not None:
        await notify(uow, recipient_id=person.id, actor_id=from_id, type=type)
    if not user.email:
        return
    names = await uow.accounts.get_many({hold.opened_by_id, hold.decided_by_id} - {None})
    await queue_mail(
        uow, kind=kind, to=user.email, name=person.display_name or person.username,
        language=user.locale, reference=hold.reference,
        opened_by=_name(names.get(hold.opened_by_id)),
        approved_by=_name(names.get(hold.decided_by_id)),
        messages_from=hold.messages_from.isoformat(),
        messages_until=hold.messages_until.isoformat(), ends_at=hold.ends_at.isoformat(),
        placed_at=hold.decided_at.isoformat() if hold.decided_at else "",
        deferred_because=hold.notice_deferred_because if delayed else "",
        path="/web/notifications")


def _name(account: sa.Row | None) -> str:
    if account is None:
        return "–"
    return f"{account.display_name} (@{account.username})" if account.display_name \
        else f"@{account.username}"
