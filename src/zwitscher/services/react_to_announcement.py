"""What everyone signed in does with announcements: see the ones not yet dismissed, dismiss
them (mark them read) and react with an emoji: a Unicode one, or an enabled custom emoji by its
shortcode (without colons), at most `MAX_REACTIONS` different ones per announcement, as
Mastodon."""

from __future__ import annotations

import emoji
import orjson
import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import ANNOUNCEMENTS_CHANNEL, Event
from zwitscher.domain.clock import utcnow
from zwitscher.domain.custom_emojis import valid_shortcode
from zwitscher.domain.errors import NotFound, ValidationFailed

MAX_REACTIONS = 8


async def _active(uow: UnitOfWork, announcement_id: int) -> None:
    if await uow.announcements.get_active(announcement_id, utcnow()) is None:
        raise NotFound()


async def announcements_to_show(uow: UnitOfWork, *, account_id: int) -> list[sa.Row]:
    """The active announcements the person has not dismissed yet (the web's banner)."""
    return await uow.announcements.unread_active(account_id, utcnow())


async def dismiss_announcement(uow: UnitOfWork, *, account_id: int, announcement_id: int
                               ) -> None:
    await _active(uow, announcement_id)
    await uow.announcements.mark_read(announcement_id=announcement_id, account_id=account_id)


async def react_to_announcement(uow: UnitOfWork, *, account_id: int, announcement_id: int,
                                name: str) -> None:
    await _active(uow, announcement_id)
    if not emoji.is_emoji(name) and not await _enabled_custom_emoji(uow, name):
        raise ValidationFailed("Name is not a recognized emoji")
    names = await uow.announcements.reaction_names(announcement_id)
    if name not in names and len(names) >= MAX_REACTIONS:
        raise ValidationFailed("At most %(max_reactions)s different reactions are possible",
                               max_reactions=MAX_REACTIONS)
    if await uow.announcements.react(announcement_id=announcement_id, account_id=account_id,
                                     name=name):
        await _announce_count(uow, announcement_id, name)


async def _enabled_custom_emoji(uow: UnitOfWork, name: str) -> bool:
    if not valid_shortcode(name):
        return False
    found = await uow.custom_emojis.by_shortcode(name)
    return found is not None and not found.disabled


async def withdraw_reaction(uow: UnitOfWork, *, account_id: int, announcement_id: int,
                            name: str) -> None:
    await _active(uow, announcement_id)
    if not await uow.announcements.unreact(announcement_id=announcement_id,
                                           account_id=account_id, name=name):
        raise NotFound()
    await _announce_count(uow, announcement_id, name)


async def _announce_count(uow: UnitOfWork, announcement_id: int, name: str) -> None:
    count = await uow.announcements.reaction_count(announcement_id, name)
    uow.publish(ANNOUNCEMENTS_CHANNEL, Event.ANNOUNCEMENT_REACTION, orjson.dumps(
        {"name": name, "count": count, "announcement_id": str(announcement_id)}).decode())
