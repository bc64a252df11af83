"""Add accounts to a list or take them out. As in Mastodon, only accounts the owner follows
can be added (an unfollow takes them out of the owner's lists again)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, home_channel
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.policies.lists import own_list

MAX_BATCH = 100


async def add_list_members(uow: UnitOfWork, *, account_id: int, list_id: int,
                           account_ids: list[int]) -> None:
    found = await own_list(uow, account_id=account_id, list_id=list_id)
    account_ids = _checked(account_ids)
    followed = await uow.relationships.followed_among(account_id, account_ids)
    if any(a not in followed for a in account_ids):
        raise NotFound()
    if await uow.lists.member_ids(found.id, account_ids):
        raise ValidationFailed("Account has already been taken")
    await uow.lists.add_members(found.id, account_ids)
    _exclusive_changed(uow, found)


async def remove_list_members(uow: UnitOfWork, *, account_id: int, list_id: int,
                              account_ids: list[int]) -> None:
    found = await own_list(uow, account_id=account_id, list_id=list_id)
    await uow.lists.remove_members(found.id, _checked(account_ids))
    _exclusive_changed(uow, found)


def _checked(account_ids: list[int]) -> list[int]:
    if not account_ids:
        raise ValidationFailed("Name at least one account in account_ids")
    if len(account_ids) > MAX_BATCH:
        raise ValidationFailed("At most %(max_batch)s accounts at once", max_batch=MAX_BATCH)
    return list(dict.fromkeys(account_ids))


def _exclusive_changed(uow: UnitOfWork, found: sa.Row) -> None:
    if found.exclusive:
        # The owner's open home streams leave out members of exclusive lists.
        uow.publish(home_channel(found.account_id), Event.RELATIONSHIPS_CHANGED, None)
