"""Someone asks for a password reset link by e-mail address.

The answer is the same whether or not anybody has that address, so the form tells no one who
has an account here. Asking is limited per network address and per e-mail address typed (a
refusal says so, alike for known and unknown addresses) and per account (more links are
silently not sent: a flood of requests must not become a flood of mail to one person).
"""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import PasswordsTurnedOff, TooManyAttempts
from zwitscher.services.authenticate_user import signs_in_with_directory
from zwitscher.services.register_account import is_valid_email
from zwitscher.services.send_password_link import LIFETIMES, PasswordLink, send_password_link
from zwitscher.throttle import limit

PER_NETWORK_ADDRESS = limit("20/hour")
PER_EMAIL_ADDRESS = limit("5/hour")
# Links sent to one person within a link's lifetime.
PER_ACCOUNT = 3


async def request_password_reset(uow: UnitOfWork, *, email: str, network_address: str) -> None:
    if not uow.settings.passwords_allowed:
        raise PasswordsTurnedOff()
    email = email.strip()
    if not (await uow.throttle.allow(PER_NETWORK_ADDRESS, "reset:address", network_address)
            and await uow.throttle.allow(PER_EMAIL_ADDRESS, "reset:email", email)):
        raise TooManyAttempts()
    user = await uow.accounts.user_by_email(email) if is_valid_email(email) else None
    if user is None or user.disabled or await signs_in_with_directory(uow, user.id):
        # The directory's password is reset at the directory.
        return
    since = utcnow() - LIFETIMES[PasswordLink.RESET]
    if await uow.user_tokens.count_since(user.id, PasswordLink.RESET.value, since) >= PER_ACCOUNT:
        return
    await send_password_link(uow, user=user, purpose=PasswordLink.RESET)
