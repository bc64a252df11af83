"""Deactivate a person (the directory says they left) or bring them back.

Deactivation takes effect at once: the login is disabled, every token the person holds is
revoked, and each of their open streams is told its token is gone and ends. Coming back does
not bring the old tokens back; the person signs in again.

Coming back also clears the directory's deletion mark (`delete_directory_person`): whoever
reactivates someone the directory deleted brings them back for the directory too. A person
who deleted their own account is deactivated by that; only cancelling the deletion
(`cancel_account_deletion`) brings them back.
"""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, home_channel
from zwitscher.domain.errors import Forbidden, NotFound
from zwitscher.domain.roles import Actor, Role
from zwitscher.services.record_audit import record_audit


async def set_person_active(uow: UnitOfWork, *, actor: Actor, account_id: int,
                            active: bool) -> bool:
    """Returns whether anything changed."""
    if not actor.administers:
        raise Forbidden("Only admins may deactivate people")
    user = await uow.accounts.user_for_account(account_id)
    if user is None:
        raise NotFound()
    if user.role == Role.OWNER and actor.role != Role.OWNER:
        raise Forbidden("Only owners may deactivate owners")
    if actor.account_id == account_id:
        raise Forbidden("You cannot deactivate yourself")
    if user.disabled == (not active):
        return False
    if active and await uow.account_deletions.get(account_id) is not None:
        # Deactivated by their own deletion: only cancelling it brings them back.
        raise Forbidden("This account is scheduled for deletion: cancel the deletion instead")
    revoked: list[int] = []
    if active:
        await uow.accounts.update_user(user.id, disabled=False, directory_deleted_at=None)
    else:
        await uow.accounts.update_user(user.id, disabled=True)
        revoked = await sign_out_everywhere(uow, user_id=user.id, account_id=account_id)
    details: dict = {"revoked_tokens": len(revoked)}
    if active and user.directory_deleted_at is not None:
        details["directory_deletion_cleared"] = True
    await record_audit(uow, actor=actor, action="account.reactivated" if active
                       else "account.deactivated", target_type="account",
                       target_id=account_id, **details)
    return True


async def sign_out_everywhere(uow: UnitOfWork, *, user_id: int, account_id: int) -> list[int]:
    """Revoke every token of the person (their browser sessions hold tokens too, so they end)
    and end their open streams now; returns the tokens' ids."""
    revoked = await uow.oauth.revoke_user_tokens(user_id)
    await uow.push_subscriptions.delete_for_tokens(revoked)
    for token_id in revoked:
        uow.publish(home_channel(account_id), Event.SESSION_REVOKED, None, token_id=token_id)
    return revoked
