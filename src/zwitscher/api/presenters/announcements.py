"""Announcements as Mastodon's Announcement entity; admins also see `text` and `published`."""

from __future__ import annotations

from typing import NotRequired

import sqlalchemy as sa
from typing_extensions import TypedDict

from zwitscher.api.entities import CustomEmoji, Mention, Tag
from zwitscher.api.presenters.common import absolutize, iso
from zwitscher.api.presenters.custom_emojis import EmojiIndex, emoji_index
from zwitscher.db.repos.announcements import Reaction
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.custom_emojis import valid_shortcode


class AnnouncementReaction(TypedDict):
    name: str
    count: int
    me: bool
    url: NotRequired[str]  # custom emojis only
    static_url: NotRequired[str]


class Announcement(TypedDict):
    id: str
    content: str
    starts_at: str | None
    ends_at: str | None
    all_day: bool
    published_at: str
    updated_at: str
    mentions: list[Mention]
    statuses: list
    tags: list[Tag]
    emojis: list[CustomEmoji]
    reactions: list[AnnouncementReaction]
    read: NotRequired[bool]  # with a reader only


class AdminAnnouncement(Announcement):
    text: str
    published: bool


async def present_announcements(uow: UnitOfWork, rows: list[sa.Row], *, viewer_id: int | None,
                                origin: str) -> list[dict]:
    """With a viewer, `read` and each reaction's `me` are theirs; without one (a streaming
    event for everyone) `read` is left out, as Mastodon does."""
    ids = [row.id for row in rows]
    reactions = await uow.announcements.reactions(ids, viewer_id)
    read = await uow.announcements.read_among(viewer_id, ids) if viewer_id else set()
    mentioned = await uow.accounts.get_many({i for row in rows for i in row.mentioned_ids})
    emojis = await emoji_index(uow, [row.text for row in rows], origin, shortcodes=[
        r.name for found in reactions.values() for r in found if valid_shortcode(r.name)])
    out = []
    for row in rows:
        entity = {
            "id": str(row.id),
            "content": absolutize(row.content_html, origin),
            "starts_at": iso(row.starts_at),
            "ends_at": iso(row.ends_at),
            "all_day": row.all_day,
            "published_at": iso(row.published_at or row.created_at),
            "updated_at": iso(row.updated_at),
            "mentions": [{"id": str(a.id), "username": a.username, "acct": a.username,
                          "url": f"{origin}/@{a.username}"}
                         for a in (mentioned.get(i) for i in row.mentioned_ids) if a],
            "statuses": [],
            "tags": [{"name": tag, "url": f"{origin}/tags/{tag.lower()}"} for tag in row.tags],
            "emojis": emojis.of(row.text),
            "reactions": _reactions(reactions.get(row.id, []), emojis),
        }
        if viewer_id:
            entity["read"] = row.id in read
        out.append(entity)
    return out


def _reactions(reactions: list[Reaction], emojis: EmojiIndex) -> list[dict]:
    """Unicode emoji as they are; custom ones with their pictures, and not at all once their
    emoji is disabled or removed (an app could show no more than the bare shortcode)."""
    shown = []
    for r in reactions:
        entity = {"name": r.name, "count": r.count, "me": r.me}
        if valid_shortcode(r.name):
            custom = emojis.by_shortcode.get(r.name)
            if custom is None:
                continue
            entity |= {"url": custom["url"], "static_url": custom["static_url"]}
        shown.append(entity)
    return shown


async def present_announcements_for_admin(uow: UnitOfWork, rows: list[sa.Row], *,
                                          origin: str) -> list[dict]:
    entities = await present_announcements(uow, rows, viewer_id=None, origin=origin)
    return [entity | {"text": row.text, "published": row.published}
            for entity, row in zip(entities, rows, strict=True)]
