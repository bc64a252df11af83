"""Feature hashtags on one's profile (at most ten), and suggest which: the most used ones."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.text import is_tag_name

MAX_FEATURED_TAGS = 10


async def feature_tag(uow: UnitOfWork, *, account_id: int, name: str) -> sa.Row:
    """The featured tag with its counts; featuring one again changes nothing."""
    name = name.strip().removeprefix("#")
    if not is_tag_name(name):
        raise ValidationFailed("Tag is invalid")
    tag = await uow.tags.by_name(name)
    featured = {row.tag_id: row for row in await uow.tags.featured(account_id)}
    if tag is not None and tag.id in featured:
        return featured[tag.id]
    if len(featured) >= MAX_FEATURED_TAGS:
        raise ValidationFailed("You can feature at most %(max_featured_tags)s hashtags",
                               max_featured_tags=MAX_FEATURED_TAGS)
    tag = tag or await uow.tags.find_or_create(name)
    await uow.tags.feature(account_id=account_id, tag_id=tag.id)
    return next(row for row in await uow.tags.featured(account_id) if row.tag_id == tag.id)


async def unfeature_tag(uow: UnitOfWork, *, account_id: int, featured_id: int) -> None:
    if not await uow.tags.unfeature(account_id=account_id, featured_id=featured_id):
        raise NotFound()


async def suggest_featured_tags(uow: UnitOfWork, *, account_id: int) -> list[sa.Row]:
    return await uow.tags.most_used_by(account_id, limit=MAX_FEATURED_TAGS)
