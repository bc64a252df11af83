"""Someone signs themselves up through an app (`POST /api/v1/accounts`): an account as the
registration mode allows, whose address waits for its link (`confirm_email`). Sign-ups from one
network address are limited (`ZWITSCHER_SIGN_UP_LIMIT_PER_ADDRESS`)."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import PasswordsTurnedOff, TooManyAttempts
from zwitscher.services.confirm_email import send_confirmation
from zwitscher.services.register_account import NewAccount, Registered, register_account
from zwitscher.services.web_sessions import web_app_id
from zwitscher.throttle import limit


async def sign_up(uow: UnitOfWork, new: NewAccount, *, app_id: int,
                  network_address: str) -> Registered:
    if not uow.settings.passwords_allowed:
        # The organisation's provider makes the accounts (single sign-on only).
        raise PasswordsTurnedOff()
    if not await uow.throttle.allow(limit(uow.settings.sign_up_limit_per_address),
                                    "sign-up:address", network_address):
        raise TooManyAttempts()
    registered = await register_account(uow, new, signed_up_with_app_id=app_id)
    user = await uow.accounts.user_by_id(registered.user_id)
    await send_confirmation(uow, user=user, address=user.email)
    return registered


async def sign_up_in_browser(uow: UnitOfWork, new: NewAccount, *,
                             network_address: str) -> Registered:
    """The web's sign-up page: as an app's sign-up, the web interface being the app."""
    return await sign_up(uow, new, app_id=await web_app_id(uow),
                         network_address=network_address)
