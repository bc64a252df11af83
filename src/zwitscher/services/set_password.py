"""A person chooses a password through an e-mailed link, or an operator sets one.

A link works once: the token is used up by the request that sets the password (two requests
with one link: one wins), and every other open link of the person stops working with it. A
new password signs the person out everywhere, as a changed one does.
"""

from __future__ import annotations

from dataclasses import dataclass

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import PasswordsTurnedOff, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.services.change_password import replace_password
from zwitscher.services.record_audit import record_audit
from zwitscher.services.register_account import check_password_rules
from zwitscher.services.secrets import digest
from zwitscher.services.send_password_link import PasswordLink, person_named

PURPOSES = tuple(purpose.value for purpose in PasswordLink)


class LinkNotValid(ValidationFailed):
    def __init__(self) -> None:
        super().__init__("This link is not valid any more: ask for a new one")


@dataclass(frozen=True, slots=True)
class OpenLink:
    """What the page behind a link shows before the password is chosen."""

    username: str
    purpose: PasswordLink


async def find_password_link(uow: UnitOfWork, *, token: str) -> OpenLink:
    row = await uow.user_tokens.find(digest(token[:200]), PURPOSES) if token else None
    if row is None or row.disabled:
        raise LinkNotValid()
    account = await uow.accounts.get(row.account_id)
    return OpenLink(account.username, PasswordLink(row.purpose))


async def set_password_with_link(uow: UnitOfWork, *, token: str, password: str) -> None:
    if not uow.settings.passwords_allowed:
        raise PasswordsTurnedOff()
    # A password the rules refuse leaves the link usable for the next try.
    check_password_rules(password)
    row = await uow.user_tokens.take(digest(token[:200]), PURPOSES) if token else None
    if row is None or row.disabled:
        raise LinkNotValid()
    await replace_password(uow, user=row, password=password)
    if not row.confirmed:
        # The link went to their address: it is theirs.
        await uow.accounts.update_user(row.id, confirmed=True)


async def set_password(uow: UnitOfWork, *, actor: Actor, username: str, password: str) -> None:
    """An operator sets someone's password (`zwitscher accounts set-password`)."""
    check_password_rules(password)
    account, user = await person_named(uow, username)
    await replace_password(uow, user=user, password=password)
    await record_audit(uow, actor=actor, action="account.password_set", target_type="account",
                       target_id=account.id)
