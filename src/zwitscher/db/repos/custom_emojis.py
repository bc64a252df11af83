"""Custom emojis: the organisation's pictures, named by shortcode."""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import custom_emojis
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id

# Beyond this many shortcodes in one page of text, reading every enabled emoji is cheaper
# than a long IN list, and stays far below the engines' limits on bound parameters.
_MAX_LISTED = 500


class CustomEmojisRepo(Repo):
    async def insert(self, **values) -> int | None:
        """The new emoji's id; None when the shortcode is taken (also by a request racing this
        one: the unique constraint decides)."""
        emoji_id = new_id()
        inserted = await self.insert_ignoring_conflicts(custom_emojis, [dict(
            id=emoji_id, created_at=utcnow(), **values)])
        return emoji_id if inserted else None

    async def update(self, emoji_id: int, **values) -> None:
        await self.conn.execute(custom_emojis.update().where(
            custom_emojis.c.id == emoji_id).values(**values))

    async def delete(self, emoji_id: int) -> None:
        await self.conn.execute(custom_emojis.delete().where(custom_emojis.c.id == emoji_id))

    async def get(self, emoji_id: int) -> sa.Row | None:
        return await self.one(custom_emojis.select().where(custom_emojis.c.id == emoji_id))

    async def by_shortcode(self, shortcode: str) -> sa.Row | None:
        return await self.one(custom_emojis.select().where(
            custom_emojis.c.shortcode == shortcode))

    async def every(self, *, with_disabled: bool) -> list[sa.Row]:
        query = custom_emojis.select().order_by(custom_emojis.c.shortcode)
        if not with_disabled:
            query = query.where(custom_emojis.c.disabled.is_(False))
        return await self.all(query)

    async def enabled_among(self, shortcodes: Collection[str]) -> list[sa.Row]:
        """The enabled emojis with these shortcodes: one query however many there are."""
        if not shortcodes:
            return []
        if len(shortcodes) > _MAX_LISTED:
            wanted = set(shortcodes)
            return [row for row in await self.every(with_disabled=False)
                    if row.shortcode in wanted]
        return await self.all(custom_emojis.select().where(
            custom_emojis.c.shortcode.in_(list(shortcodes)),
            custom_emojis.c.disabled.is_(False)))
