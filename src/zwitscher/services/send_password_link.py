"""E-mail a person a single-use link to choose a password: a reset they asked for, the
welcome of someone a directory created, or the invitation of someone an admin or a group
manager invited (neither has ever had a password).

The link carries a random secret; the database keeps its SHA-256 (`user_tokens`). It is made
from the configured `base_url` when the message is composed, never from the request's `Host`,
so nobody can have a reset link point at a server of theirs.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound, PasswordsTurnedOff, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.services.queue_mail import queue_mail
from zwitscher.services.record_audit import record_audit
from zwitscher.services.secrets import digest, new_secret

SET_PASSWORD_PATH = "/web/password"


class PasswordLink(StrEnum):
    RESET = "password_reset"
    WELCOME = "welcome"
    INVITATION = "invitation"


LIFETIMES = {PasswordLink.RESET: timedelta(hours=1), PasswordLink.WELCOME: timedelta(days=7),
             PasswordLink.INVITATION: timedelta(days=7)}


async def send_password_link(uow: UnitOfWork, *, user: sa.Row, purpose: PasswordLink,
                             kind: str | None = None, **values) -> None:
    """`values`: what the message of `purpose` shows besides the link (an inviter's name);
    `kind`: another message than the purpose's own (a journalist's invitation)."""
    if not uow.settings.passwords_allowed:
        raise PasswordsTurnedOff()
    secret = new_secret()
    lifetime = LIFETIMES[purpose]
    await uow.user_tokens.create(user_id=user.id, purpose=purpose.value,
                                 token_hash=digest(secret), expires_at=utcnow() + lifetime)
    account = await uow.accounts.get(user.account_id)
    await queue_mail(uow, kind=kind or purpose.value, to=user.email,
                     name=account.display_name or account.username, language=user.locale,
                     username=account.username, days=lifetime.days,
                     path=f"{SET_PASSWORD_PATH}?token={secret}", **values)


async def send_reset(uow: UnitOfWork, *, actor: Actor, username: str) -> str:
    """An admin sends someone a reset link (`zwitscher accounts send-reset`, the admin
    console); returns the address it goes to."""
    if not actor.administers:
        raise Forbidden("Only admins may send password reset links")
    account, user = await person_named(uow, username)
    if user.disabled:
        raise ValidationFailed("This account is deactivated")
    await send_password_link(uow, user=user, purpose=PasswordLink.RESET)
    await record_audit(uow, actor=actor, action="account.password_reset_sent",
                       target_type="account", target_id=account.id)
    return user.email


async def person_named(uow: UnitOfWork, username: str) -> tuple[sa.Row, sa.Row]:
    """The account and sign-in of @username, as the operator's commands name people."""
    account = await uow.accounts.by_username(username)
    user = await uow.accounts.user_for_account(account.id) if account is not None else None
    if user is None:
        raise NotFound("No account @%(username)s", username=username)
    return account, user
