"""Mastodon's CustomEmoji entity, and the `emojis` of the entities whose text uses them.

Presenters collect all the text of a page first (`emoji_index`: one query for the whole page,
none when no text has a `:shortcode:`), then each entity picks its own (`EmojiIndex.of`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa

from zwitscher.api.entities import CustomEmoji
from zwitscher.api.presenters.media import media_url
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.custom_emojis import shortcodes_in
from zwitscher.views.accounts import account_texts


class AdminCustomEmoji(CustomEmoji):
    id: str
    disabled: bool


def present_custom_emoji(row: sa.Row, origin: str) -> CustomEmoji:
    return {"shortcode": row.shortcode, "url": media_url(row.image_url, origin),
            "static_url": media_url(row.static_url, origin),
            "visible_in_picker": row.visible_in_picker, "category": row.category}


def present_custom_emoji_for_admin(row: sa.Row, origin: str) -> AdminCustomEmoji:
    return {"id": str(row.id)} | present_custom_emoji(row, origin) | {
        "disabled": row.disabled}


@dataclass(frozen=True, slots=True)
class EmojiIndex:
    """The enabled emojis some texts use, presented, by shortcode."""

    by_shortcode: dict[str, dict] = field(default_factory=dict)

    def of(self, *texts: str | None) -> list[dict]:
        """The emojis these texts use, in order of first use."""
        if not self.by_shortcode:
            return []
        return [self.by_shortcode[code] for code in shortcodes_in(*texts)
                if code in self.by_shortcode]


NO_EMOJIS = EmojiIndex()


async def emoji_index(uow: UnitOfWork, texts: Iterable[str | None], origin: str, *,
                      shortcodes: Iterable[str] = ()) -> EmojiIndex:
    """The emojis `texts` use, and those named by `shortcodes` (reactions name them bare)."""
    shortcodes = list(dict.fromkeys([*shortcodes_in(*texts), *shortcodes]))
    if not shortcodes:
        return NO_EMOJIS
    rows = await uow.custom_emojis.enabled_among(shortcodes)
    return EmojiIndex({row.shortcode: present_custom_emoji(row, origin) for row in rows})



async def account_emojis(uow: UnitOfWork, accounts: Iterable[sa.Row],
                         origin: str) -> EmojiIndex:
    return await emoji_index(uow, account_texts(accounts), origin)
