"""Give a person another role. Admins may give any role but owner; only owners make or unmake
owners; nobody changes their own role (an organisation must not lock itself out)."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.domain.roles import Actor, Role, parse_role
from zwitscher.services.record_audit import record_audit


async def change_role(uow: UnitOfWork, *, actor: Actor, account_id: int, role: str) -> Role:
    wanted = parse_role(role)
    if wanted is None:
        raise ValidationFailed("Role must be one of %(choices)s",
                               choices=', '.join(r.value for r in Role))
    if not actor.administers:
        raise Forbidden("Only admins may change roles")
    user = await uow.accounts.user_for_account(account_id)
    if user is None:
        raise NotFound()
    current = parse_role(user.role)
    if actor.account_id == account_id:
        raise Forbidden("You cannot change your own role")
    if Role.OWNER in (current, wanted) and actor.role != Role.OWNER:
        raise Forbidden("Only owners may make or unmake owners")
    if current != wanted:
        await uow.accounts.update_user(user.id, role=wanted.value)
        await record_audit(uow, actor=actor, action="account.role_changed",
                           target_type="account", target_id=account_id,
                           old=current.value if current else user.role, new=wanted.value)
    return wanted
