"""Append to the audit log: every administrative action, in the transaction that makes it."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.roles import Actor


async def record_audit(uow: UnitOfWork, *, actor: Actor, action: str, target_type: str,
                       target_id: int | None, **details) -> None:
    await uow.audit.append(actor_id=actor.account_id, actor_label=actor.label, action=action,
                           target_type=target_type, target_id=target_id, details=details,
                           actor_signed_in_with=actor.signed_in_with)
