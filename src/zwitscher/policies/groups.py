"""Who may manage a group: admins, and managers of the group or of any group above it."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden
from zwitscher.domain.roles import Actor, is_insider


async def may_manage_group(uow: UnitOfWork, actor: Actor, group_id: int) -> bool:
    if actor.administers:
        return True
    return actor.account_id is not None and await uow.groups.manages(actor.account_id, group_id)


async def require_group_manager(uow: UnitOfWork, actor: Actor, group_id: int) -> None:
    if not await may_manage_group(uow, actor, group_id):
        raise Forbidden("Only admins and the group's managers may do this")


async def may_read_group(uow: UnitOfWork, *, account_id: int | None, role: str | None,
                         group_id: int) -> bool:
    """Insiders see every group; guests only the groups they belong to; anonymous readers
    none (a group's name and members are the organisation's business)."""
    if account_id is None:
        return False
    return is_insider(role) or await uow.groups.is_member(account_id, group_id)
