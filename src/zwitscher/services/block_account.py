"""Block and unblock: a block ends follows both ways and hides each from the other."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, home_channel
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.services.follow_account import remove_follow


async def block_account(uow: UnitOfWork, *, account_id: int, target_id: int) -> None:
    if account_id == target_id:
        raise ValidationFailed("You cannot block yourself")
    if await uow.accounts.get(target_id) is None:
        raise NotFound()
    await remove_follow(uow, account_id=account_id, target_id=target_id)
    await remove_follow(uow, account_id=target_id, target_id=account_id)
    for a, b in ((account_id, target_id), (target_id, account_id)):
        await uow.relationships.take_follow_request(account_id=a, target_id=b)
        await uow.notifications.delete_between(account_id=a, from_account_id=b)
    await uow.relationships.block(account_id=account_id, target_id=target_id)
    # Streams open for the blocked person keep their exclusion lists in memory: refresh them.
    uow.publish(home_channel(target_id), Event.RELATIONSHIPS_CHANGED, None)
    uow.publish(home_channel(account_id), Event.RELATIONSHIPS_CHANGED, None)


async def unblock_account(uow: UnitOfWork, *, account_id: int, target_id: int) -> None:
    if await uow.accounts.get(target_id) is None:
        raise NotFound()
    await uow.relationships.unblock(account_id=account_id, target_id=target_id)
    uow.publish(home_channel(target_id), Event.RELATIONSHIPS_CHANGED, None)
    uow.publish(home_channel(account_id), Event.RELATIONSHIPS_CHANGED, None)
