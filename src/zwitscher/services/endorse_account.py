"""Endorse an account (recommend it on one's profile) and take the endorsement back. Only
followed accounts can be endorsed; ending the follow ends the endorsement (remove_follow)."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound, ValidationFailed


async def endorse_account(uow: UnitOfWork, *, account_id: int, target_id: int) -> None:
    if await uow.accounts.get(target_id) is None:
        raise NotFound()
    if await uow.relationships.get_follow(account_id=account_id, target_id=target_id) is None:
        raise ValidationFailed("You must be already following the person you want to endorse")
    await uow.endorsements.add(account_id=account_id, target_id=target_id)


async def unendorse_account(uow: UnitOfWork, *, account_id: int, target_id: int) -> None:
    if await uow.accounts.get(target_id) is None:
        raise NotFound()
    await uow.endorsements.remove(account_id=account_id, target_id=target_id)
