"""First-run setup: the very first account of a new instance becomes its owner."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden
from zwitscher.domain.roles import Role
from zwitscher.services.register_account import NewAccount, Registered, create_account


async def instance_needs_setup(uow: UnitOfWork) -> bool:
    users_count, _ = await uow.accounts.instance_counts()
    return users_count == 0


async def set_up_instance(uow: UnitOfWork, new: NewAccount) -> Registered:
    """Create the owner; refused once any account exists, so the page can't mint a second owner
    (also not when two first visitors send the form at the same moment)."""
    await uow.accounts.hold_first_run()
    if not await instance_needs_setup(uow):
        raise Forbidden("This instance is already set up")
    return await create_account(uow, new, role=Role.OWNER.value)
