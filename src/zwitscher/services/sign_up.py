"""Someone signs themselves up through an app (`POST /api/v1/accounts`): an account as the
registration mode allows, whose address waits for its link (`confirm_email`)."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.services.confirm_email import send_confirmation
from zwitscher.services.register_account import NewAccount, Registered, register_account


async def sign_up(uow: UnitOfWork, new: NewAccount, *, app_id: int) -> Registered:
    registered = await register_account(uow, new, signed_up_with_app_id=app_id)
    user = await uow.accounts.user_by_id(registered.user_id)
    await send_confirmation(uow, user=user, address=user.email)
    return registered
