"""Follow and unfollow a hashtag: public posts that carry it come into the follower's home
(see fan_out_status), and leave it again when the tag is unfollowed."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound
from zwitscher.domain.text import is_tag_name


def tag_name(raw: str) -> str:
    """A tag's name as a path or form gives it (`#` optional); anything that could not be a
    hashtag is simply not found."""
    name = raw.strip().removeprefix("#")
    if not is_tag_name(name):
        raise NotFound()
    return name


async def follow_tag(uow: UnitOfWork, *, account_id: int, name: str) -> sa.Row:
    tag = await uow.tags.find_or_create(tag_name(name))
    await uow.tags.follow(account_id=account_id, tag_id=tag.id)
    return tag


async def unfollow_tag(uow: UnitOfWork, *, account_id: int, name: str) -> sa.Row | None:
    """The tag, or None when nobody ever used it (then nobody follows it either)."""
    tag = await uow.tags.by_name(tag_name(name))
    if tag is not None and await uow.tags.unfollow(account_id=account_id, tag_id=tag.id):
        await uow.home_feed.remove_tagged(account_id=account_id, tag_id=tag.id)
    return tag
