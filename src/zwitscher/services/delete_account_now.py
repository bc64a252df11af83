"""An admin does not wait for the end of a scheduled deletion's grace period: the person's
data goes at once (the `PurgeAccount` job, queued now; the one queued for the end of the
grace period then finds nothing left to do)."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound
from zwitscher.domain.jobs import PurgeAccount
from zwitscher.domain.roles import Actor
from zwitscher.services.record_audit import record_audit


async def delete_account_now(uow: UnitOfWork, *, actor: Actor, account_id: int) -> None:
    if not actor.administers:
        raise Forbidden("Only admins may delete accounts")
    deletion = await uow.account_deletions.get(account_id)
    if deletion is None:
        raise NotFound("This account is not scheduled for deletion")
    now = utcnow()
    if deletion.delete_at <= now:
        return
    await uow.account_deletions.move(account_id, delete_at=now)
    await uow.enqueue(PurgeAccount(account_id=account_id))
    await record_audit(uow, actor=actor, action="account.deletion_hastened",
                       target_type="account", target_id=account_id,
                       was_due=deletion.delete_at.isoformat())
