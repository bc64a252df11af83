"""An admin requires a second factor of one person (someone who speaks for the organisation,
or whose account was at risk), or lifts that. The person is asked to set one up the next time
they open the web interface; until then apps cannot sign them in with a password alone."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, NotFound
from zwitscher.domain.roles import Actor
from zwitscher.services.record_audit import record_audit


async def require_second_factor(uow: UnitOfWork, *, actor: Actor, account_id: int,
                                required: bool) -> bool:
    """Returns whether anything changed."""
    if not actor.administers:
        raise Forbidden("Only admins may require a second factor")
    user = await uow.accounts.user_for_account(account_id)
    if user is None:
        raise NotFound()
    if user.second_factor_required == required:
        return False
    await uow.accounts.update_user(user.id, second_factor_required=required)
    await record_audit(uow, actor=actor, action="account.second_factor_required" if required
                       else "account.second_factor_optional", target_type="account",
                       target_id=account_id)
    return True
