"""An administrator approves a pending sign-up (registration mode `approval`)."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, NotFound
from zwitscher.domain.roles import Actor
from zwitscher.services.record_audit import record_audit


async def approve_account(uow: UnitOfWork, *, actor: Actor, account_id: int) -> bool:
    """Returns whether the account was waiting (approving twice changes nothing)."""
    if not actor.administers:
        raise Forbidden("Only admins may approve sign-ups")
    user = await uow.accounts.user_for_account(account_id)
    if user is None:
        raise NotFound()
    if user.approved:
        return False
    await uow.accounts.update_user(user.id, approved=True)
    await record_audit(uow, actor=actor, action="account.approved", target_type="account",
                       target_id=account_id)
    return True
