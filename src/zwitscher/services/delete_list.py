"""Delete a list (its members stay followed)."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, home_channel
from zwitscher.policies.lists import own_list


async def delete_list(uow: UnitOfWork, *, account_id: int, list_id: int) -> None:
    found = await own_list(uow, account_id=account_id, list_id=list_id)
    await uow.lists.delete(found.id)
    if found.exclusive:
        # Its members' posts return to the owner's open home streams.
        uow.publish(home_channel(account_id), Event.RELATIONSHIPS_CHANGED, None)
