"""Keep an account whose deletion was scheduled: the person, having signed in with their
password (`web_sessions.keep_account`), or an admin in the console. Everything is as before:
the profile and posts are shown again and the person signs in (old sessions and apps stay
signed out). Once the deletion is under way it can no longer be cancelled."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound
from zwitscher.domain.roles import Actor
from zwitscher.services.record_audit import record_audit


async def cancel_account_deletion(uow: UnitOfWork, *, actor: Actor, account_id: int) -> None:
    if actor.account_id != account_id and not actor.administers:
        raise Forbidden("Only admins may cancel another person's deletion")
    deletion = await uow.account_deletions.get(account_id)
    if deletion is None:
        raise NotFound("This account is not scheduled for deletion")
    if deletion.delete_at <= utcnow():
        raise Forbidden("The deletion is under way: it can no longer be cancelled")
    await uow.account_deletions.remove(account_id)
    await uow.accounts.update(account_id, deleted_at=None)
    user = await uow.accounts.user_for_account(account_id)
    await uow.accounts.update_user(user.id, disabled=False)
    await record_audit(uow, actor=actor, action="account.deletion_cancelled",
                       target_type="account", target_id=account_id,
                       delete_at=deletion.delete_at.isoformat())
