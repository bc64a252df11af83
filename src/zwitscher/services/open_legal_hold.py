"""Open a legal hold on a person's account: an owner or admin states the reason, the reference
it rests on, the time range of the direct messages concerned and when it ends; a second owner
or admin then approves or rejects it (`decide_legal_hold`). Nothing is held and nobody reads
anything before that.

A hold looks back: its time range ends at the latest when it is opened, so it never reaches
messages written after (watching what someone writes next is not what a hold is for).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.policies.legal_holds import PENDING
from zwitscher.services.record_audit import record_audit
from zwitscher.services.review_legal_holds import TARGET, check_taking_part

MAX_REASON = 2000
MAX_REFERENCE = 200


@dataclass(frozen=True, slots=True)
class HoldRequest:
    """A new case. Without `tell_at_approval`, `notice_deferred_because` says why the person
    is not told yet."""

    username: str
    reason: str
    reference: str
    messages_from: datetime
    messages_until: datetime
    ends_at: datetime
    tell_at_approval: bool = True
    notice_deferred_because: str = ""


def check_text(text: str, *, maximum: int) -> str:
    text = text.strip()
    if len(text) > maximum:
        raise ValidationFailed("A text is too long (at most %(max_length)s characters)",
                               max_length=maximum)
    return text


async def open_legal_hold(uow: UnitOfWork, *, actor: Actor, request: HoldRequest) -> int:
    if not actor.administers or actor.account_id is None:
        raise Forbidden("Only owners and admins handle legal holds")
    reason = check_text(request.reason, maximum=MAX_REASON)
    if not reason:
        raise ValidationFailed("Please give the reason for the legal hold")
    reference = check_text(request.reference, maximum=MAX_REFERENCE)
    if not reference:
        raise ValidationFailed("Please give the reference the legal hold rests on")
    deferred = "" if request.tell_at_approval else check_text(
        request.notice_deferred_because, maximum=MAX_REASON)
    if not request.tell_at_approval and not deferred:
        raise ValidationFailed("Please say why the person is not told yet")
    now = utcnow()
    until = min(request.messages_until, now)
    if request.messages_from >= until:
        raise ValidationFailed("The first day of the messages concerned must not be after "
                               "their last day, nor in the future")
    if request.ends_at <= now:
        raise ValidationFailed("A legal hold must end in the future")
    account = await uow.accounts.by_username(request.username.strip().removeprefix("@"))
    user = await uow.accounts.user_for_account(account.id) if account else None
    if account is None or user is None:
        raise ValidationFailed("No one has that username")
    check_taking_part(actor, account.id, user.role)
    hold_id = await uow.legal_holds.add(
        account_id=account.id, reason=reason, reference=reference,
        messages_from=request.messages_from, messages_until=until, ends_at=request.ends_at,
        state=PENDING, notice_deferred_because=deferred, opened_by_id=actor.account_id,
        created_at=now)
    await record_audit(uow, actor=actor, action="legal_hold.opened", target_type=TARGET,
                       target_id=hold_id, account_id=str(account.id),
                       username=account.username, reason=reason, reference=reference,
                       messages_from=request.messages_from.isoformat(),
                       messages_until=until.isoformat(), ends_at=request.ends_at.isoformat(),
                       notice_deferred_because=deferred)
    return hold_id
