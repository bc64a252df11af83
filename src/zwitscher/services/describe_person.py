"""One person as an admin sees them in the console: their sign-in, role and status, groups,
brand grants, how they sign in and when they were last active."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, NotFound
from zwitscher.domain.roles import Actor
from zwitscher.policies.second_factor import needs_second_factor
from zwitscher.services.authenticate_user import DIRECTORY


@dataclass(frozen=True, slots=True)
class Person:
    account: sa.Row
    user: sa.Row
    groups: list[sa.Row]          # with `group_role`
    brands: list[sa.Row]          # with `needs_approval`
    last_active_at: datetime | None
    # "password", "directory" (LDAP) or "single sign-on"; a person may have several.
    signs_in_with: list[str]
    has_security_keys: bool
    needs_second_factor: bool
    # Their own deletion, while it waits (`account_deletions`), else None.
    deletion: sa.Row | None


async def describe_person(uow: UnitOfWork, *, actor: Actor, account_id: int) -> Person:
    if not actor.administers:
        raise Forbidden("Only admins may see people's accounts")
    account = await uow.accounts.get(account_id)
    user = await uow.accounts.user_for_account(account_id) if account else None
    if user is None:
        raise NotFound()
    issuers = await uow.identities.issuers_of(user.id)
    ways = ["directory" if issuer == DIRECTORY else "single sign-on" for issuer in issuers]
    if uow.settings.passwords_allowed and DIRECTORY not in issuers:
        ways.append("password")
    return Person(
        account=account, user=user, groups=await uow.groups.groups_of(account_id),
        brands=await uow.brands.brands_of(account_id),
        last_active_at=await uow.people.last_active_at(account_id),
        signs_in_with=sorted(set(ways)),
        has_security_keys=bool(await uow.security_keys.of_user(user.id)),
        needs_second_factor=needs_second_factor(uow.settings, user),
        deletion=await uow.account_deletions.get(account_id))
