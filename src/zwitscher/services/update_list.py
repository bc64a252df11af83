"""Rename a list or change which replies it shows and whether it is exclusive."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, home_channel
from zwitscher.policies.lists import own_list
from zwitscher.services.create_list import RepliesPolicy, checked_title


async def update_list(uow: UnitOfWork, *, account_id: int, list_id: int,
                      title: str | None = None, replies_policy: RepliesPolicy | None = None,
                      exclusive: bool | None = None) -> sa.Row:
    """What is left as None stays as it is."""
    found = await own_list(uow, account_id=account_id, list_id=list_id)
    changes: dict = {}
    if title is not None:
        changes["title"] = checked_title(title)
    if replies_policy is not None:
        changes["replies_policy"] = replies_policy.value
    if exclusive is not None:
        changes["exclusive"] = exclusive
    if changes:
        await uow.lists.update(found.id, **changes)
    if exclusive is not None and exclusive != found.exclusive:
        # The owner's open home streams leave out members of exclusive lists.
        uow.publish(home_channel(account_id), Event.RELATIONSHIPS_CHANGED, None)
    return await uow.lists.get(found.id)
