"""Account views: a profile as everybody sees it, loaded for a page at once.

Kept apart from status views because its counters change with every post the account makes:
a status does not need rendering again when its author posts another.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.views.statuses import EmojiView, emoji_views, emojis_of

# What an account without its own images shows (files the server serves itself).
MISSING_AVATAR = "/avatars/original/missing.png"
MISSING_HEADER = "/headers/original/missing.png"


@dataclass(frozen=True, slots=True)
class FieldView:
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class AccountView:
    id: int
    version: int
    username: str
    display_name: str
    note: str
    fields: tuple[FieldView, ...]
    locked: bool
    bot: bool
    discoverable: bool
    kind: str
    created_at: datetime
    avatar_url: str | None
    header_url: str | None
    followers_count: int
    following_count: int
    statuses_count: int
    last_status_at: datetime | None
    emojis: tuple[EmojiView, ...]
    limited: bool = False  # by moderators (a default: views shared before it decode too)
    indexable: bool = True  # (defaults, as `limited`)
    hide_collections: bool = False

    @property
    def name(self) -> str:
        """How people see the account named: its display name, else its username."""
        return self.display_name or self.username

    @property
    def avatar(self) -> str:
        return self.avatar_url or MISSING_AVATAR

    @property
    def header(self) -> str:
        return self.header_url or MISSING_HEADER


def account_texts(rows: Iterable[sa.Row]) -> Iterable[str]:
    """What of an account may use custom emojis: its name, its note and its fields."""
    for account in rows:
        yield account.display_name
        yield account.note
        for profile_field in account.fields or []:
            yield profile_field["name"]
            yield profile_field["value"]


def account_view(row: sa.Row, emojis: dict[str, EmojiView]) -> AccountView:
    return AccountView(
        id=row.id, version=row.version, username=row.username,
        display_name=row.display_name, note=row.note,
        fields=tuple(FieldView(f["name"], f["value"]) for f in row.fields or []),
        locked=row.locked, bot=row.bot, discoverable=row.discoverable, kind=row.kind,
        created_at=row.created_at, avatar_url=row.avatar_url, header_url=row.header_url,
        followers_count=row.followers_count, following_count=row.following_count,
        statuses_count=row.statuses_count, last_status_at=row.last_status_at,
        emojis=emojis_of(emojis, *account_texts([row])), limited=row.limited_at is not None,
        indexable=row.indexable, hide_collections=row.hide_collections)


async def load_accounts(uow: UnitOfWork, ids: Iterable[int]) -> dict[int, AccountView]:
    """Views of these accounts (those that exist), by id: two statements for any number."""
    rows = await uow.accounts.get_many(set(ids))
    if not rows:
        return {}
    emojis = await emoji_views(uow, account_texts(rows.values()))
    return {row.id: account_view(row, emojis) for row in rows.values()}
