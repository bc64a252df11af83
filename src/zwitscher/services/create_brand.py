"""Create a brand account: @press, @sales-south. No one signs in as it; communicators who are
granted it post as it, and each post keeps the person who wrote it."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.services.record_audit import record_audit
from zwitscher.services.register_account import identity_problems


async def create_brand(uow: UnitOfWork, *, actor: Actor, username: str,
                       display_name: str = "") -> sa.Row:
    if not actor.administers:
        raise Forbidden("Only admins may create brand accounts")
    # A brand has no e-mail address of its own; only the username is checked.
    problems = identity_problems(username, "brand@example.org", allow_reserved=True)
    if len(display_name) > 30:
        problems.append("Display name is too long (maximum is 30 characters)")
    if problems:
        raise ValidationFailed(", ".join(problems))
    if await uow.accounts.by_username(username) is not None:
        raise ValidationFailed("Username has already been taken")
    account_id = await uow.accounts.create(username=username, display_name=display_name)
    await uow.brands.make_brand(account_id)
    await record_audit(uow, actor=actor, action="brand.created", target_type="account",
                       target_id=account_id, username=username)
    return await uow.accounts.get(account_id)
