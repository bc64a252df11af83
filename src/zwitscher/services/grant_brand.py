"""Let a person post as a brand account, or stop them. Only communicators, admins and owners
may be granted a brand; only admins grant. Revoking ends the person's delegated tokens for the
brand at once (they are checked on every request)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.domain.roles import SPEAKERS, Actor, parse_role
from zwitscher.services.record_audit import record_audit


async def grant_brand(uow: UnitOfWork, *, actor: Actor, brand_id: int, author_id: int,
                      needs_approval: bool = False) -> None:
    await _check(uow, actor, brand_id)
    user = await uow.accounts.user_for_account(author_id)
    if user is None:
        raise NotFound("No such person")
    if parse_role(user.role) not in SPEAKERS:
        raise ValidationFailed("Only communicators, admins and owners may post for a brand")
    await uow.brands.grant(brand_id=brand_id, author_id=author_id,
                           needs_approval=needs_approval)
    await record_audit(uow, actor=actor, action="brand.author_granted", target_type="account",
                       target_id=brand_id, author_id=str(author_id),
                       needs_approval=needs_approval)


async def grant_brand_by_username(uow: UnitOfWork, *, actor: Actor, brand_id: int,
                                  username: str, needs_approval: bool = False) -> sa.Row:
    """`grant_brand` for the person a form names; returns their account."""
    await _check(uow, actor, brand_id)
    username = username.strip().removeprefix("@")
    if not username:
        raise ValidationFailed("Type the username of the person to add")
    account = await uow.accounts.by_username(username)
    if account is None:
        raise ValidationFailed("No one here has the username %(username)s", username=username)
    await grant_brand(uow, actor=actor, brand_id=brand_id, author_id=account.id,
                      needs_approval=needs_approval)
    return account


async def brand_authors(uow: UnitOfWork, *, actor: Actor, brand_id: int
                        ) -> tuple[sa.Row, list[sa.Row]]:
    """A brand and its authors (each with `needs_approval`), for those who grant it."""
    brand = await _check(uow, actor, brand_id)
    return brand, await uow.brands.authors(brand_id)


async def change_needs_approval(uow: UnitOfWork, *, actor: Actor, brand_id: int,
                                author_id: int, needs_approval: bool) -> None:
    """Whether an author's posts wait for approval from now on (drafts already waiting
    stay in the queue)."""
    await _check(uow, actor, brand_id)
    if await uow.brands.grant_of(brand_id=brand_id, author_id=author_id) is None:
        raise NotFound("No such person")
    await grant_brand(uow, actor=actor, brand_id=brand_id, author_id=author_id,
                      needs_approval=needs_approval)


async def revoke_brand(uow: UnitOfWork, *, actor: Actor, brand_id: int, author_id: int) -> None:
    await _check(uow, actor, brand_id)
    if await uow.brands.revoke(brand_id=brand_id, author_id=author_id):
        await record_audit(uow, actor=actor, action="brand.author_revoked",
                           target_type="account", target_id=brand_id,
                           author_id=str(author_id))


async def _check(uow: UnitOfWork, actor: Actor, brand_id: int) -> sa.Row:
    if not actor.administers:
        raise Forbidden("Only admins may grant brand accounts")
    brand = await uow.accounts.get(brand_id)
    if brand is None or brand.kind != "brand":
        raise NotFound("No such brand account")
    return brand
