"""Someone signs themselves up through an app (`POST /api/v1/accounts`): an account as the
registration mode allows, whose address waits for its link (`confirm_email`). Sign-ups from one
network address are limited (`ZWITSCHER_SIGN_UP_LIMIT_PER_ADDRESS`)."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import TooManyAttempts
from zwitscher.services.confirm_email import send_confirmation
from zwitscher.services.register_account import NewAccount, Registered, register_account
from zwitscher.throttle import limit


async def sign_up(uow: UnitOfWork, new: NewAccount, *, app_id: int,
                  network_address: str) -> Registered:
    if not await uow.throttle.allow(limit(uow.settings.sign_up_limit_per_address),
                                    "sign-up:address", network_address):
        raise TooManyAttempts()
    registered = await register_account(uow, new, signed_up_with_app_id=app_id)
    user = await uow.accounts.user_by_id(registered.user_id)
    await send_confirmation(uow, user=user, address=user.email)
    return registered
