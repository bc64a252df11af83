"""Custom emojis: admins (and owners, and the command line) add, change and remove them; each
change is audited. Everyone sees the enabled ones (`GET /api/v1/custom_emojis`, and in the
`emojis` of the statuses, accounts and announcements that use them).

The picture was read before the unit of work began (`read_emoji_image`); its file is written
only once the shortcode is known to be free, so a refused emoji leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.custom_emojis import MAX_CATEGORY_LENGTH, valid_shortcode
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.media.images import Encoded
from zwitscher.media.store import new_key
from zwitscher.services.delete_media import forget_files
from zwitscher.services.record_audit import record_audit

TARGET = "custom_emoji"


@dataclass(frozen=True, slots=True)
class EmojiSettings:
    """How an emoji is listed. None: leave as it is (a blank category means none)."""

    category: str | None = None
    visible_in_picker: bool | None = None
    disabled: bool | None = None


def _values(settings: EmojiSettings) -> dict:
    values: dict = {}
    if settings.category is not None:
        category = settings.category.strip()
        if len(category) > MAX_CATEGORY_LENGTH:
            raise ValidationFailed("Category is too long (maximum is %(maximum)s characters)",
                                   maximum=MAX_CATEGORY_LENGTH)
        values["category"] = category or None
    for name in ("visible_in_picker", "disabled"):
        if getattr(settings, name) is not None:
            values[name] = getattr(settings, name)
    return values


def _check_admin(actor: Actor) -> None:
    if not actor.administers:
        raise Forbidden("Only admins may manage custom emojis")


async def all_custom_emojis(uow: UnitOfWork, *, actor: Actor) -> list[sa.Row]:
    """Every emoji, disabled ones too, by shortcode: what admins manage."""
    _check_admin(actor)
    return await uow.custom_emojis.every(with_disabled=True)


async def add_custom_emoji(uow: UnitOfWork, *, actor: Actor, shortcode: str, image: Encoded,
                           settings: EmojiSettings) -> sa.Row:
    _check_admin(actor)
    if not valid_shortcode(shortcode):
        raise ValidationFailed("Shortcode must be 2 to 64 letters (a-z, A-Z), digits or _")
    values = _values(settings)
    key = new_key("png")
    url = uow.media_store.url(key)
    emoji_id = await uow.custom_emojis.insert(shortcode=shortcode, image_key=key, image_url=url,
                                              static_key=key, static_url=url, **values)
    if emoji_id is None:
        raise ValidationFailed("Shortcode has already been taken")
    await uow.media_store.put(key, image.data, "image/png")
    await record_audit(uow, actor=actor, action="custom_emoji.created", target_type=TARGET,
                       target_id=emoji_id, shortcode=shortcode)
    return await uow.custom_emojis.get(emoji_id)


async def change_custom_emoji(uow: UnitOfWork, *, actor: Actor, emoji_id: int,
                              settings: EmojiSettings) -> sa.Row:
    current = await _existing(uow, actor, emoji_id)
    values = _values(settings)
    if values:
        await uow.custom_emojis.update(emoji_id, **values)
        await record_audit(uow, actor=actor, action="custom_emoji.updated", target_type=TARGET,
                           target_id=emoji_id, shortcode=current.shortcode,
                           changed=sorted(values))
    return await uow.custom_emojis.get(emoji_id)


async def remove_custom_emoji(uow: UnitOfWork, *, actor: Actor, emoji_id: int) -> None:
    """Text that used it keeps its `:shortcode:`, shown as typed."""
    current = await _existing(uow, actor, emoji_id)
    await uow.custom_emojis.delete(emoji_id)
    await forget_files(uow, sorted({current.image_key, current.static_key}))
    await record_audit(uow, actor=actor, action="custom_emoji.deleted", target_type=TARGET,
                       target_id=emoji_id, shortcode=current.shortcode)


async def custom_emoji_id(uow: UnitOfWork, shortcode: str) -> int:
    """The id of the emoji with this shortcode, for the command line, which names them so."""
    found = await uow.custom_emojis.by_shortcode(shortcode)
    if found is None:
        raise NotFound("No custom emoji :%(shortcode)s:", shortcode=shortcode)
    return found.id


async def _existing(uow: UnitOfWork, actor: Actor, emoji_id: int) -> sa.Row:
    _check_admin(actor)
    current = await uow.custom_emojis.get(emoji_id)
    if current is None:
        raise NotFound()
    return current
