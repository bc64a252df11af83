"""Create a list, and the rules every list's settings keep (shared with `update_list`)."""

from __future__ import annotations

from enum import StrEnum

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import ValidationFailed

MAX_LISTS = 50
MAX_TITLE = 256


class RepliesPolicy(StrEnum):
    FOLLOWED = "followed"
    LIST = "list"
    NONE = "none"


def checked_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ValidationFailed("Title can't be blank")
    if len(title) > MAX_TITLE:
        raise ValidationFailed("Title is too long (maximum is %(max_title)s characters)",
                               max_title=MAX_TITLE)
    return title


async def create_list(uow: UnitOfWork, *, account_id: int, title: str,
                      replies_policy: RepliesPolicy = RepliesPolicy.LIST,
                      exclusive: bool = False) -> sa.Row:
    title = checked_title(title)
    if await uow.lists.count(account_id) >= MAX_LISTS:
        raise ValidationFailed("You can have at most %(max_lists)s lists", max_lists=MAX_LISTS)
    return await uow.lists.create(account_id=account_id, title=title,
                                  replies_policy=replies_policy.value, exclusive=exclusive)
