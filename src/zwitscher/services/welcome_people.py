"""People a directory created (CSV import, SCIM) get an e-mail with a link to choose their
first password: they have none, and nobody should have to pass one on to them. Where single
sign-on or an LDAP directory is set up, they sign in with their organisation's account
instead: no mail."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.services.send_password_link import PasswordLink, send_password_link


async def welcome_people(uow: UnitOfWork, *, user_ids: list[int]) -> None:
    if uow.settings.sso_configured or uow.settings.ldap_configured:
        return
    for user_id in user_ids:
        user = await uow.accounts.user_by_id(user_id)
        # Created inactive: welcomed by a reset link once they are active and ask for one.
        if user is not None and not user.disabled:
            await send_password_link(uow, user=user, purpose=PasswordLink.WELCOME)
