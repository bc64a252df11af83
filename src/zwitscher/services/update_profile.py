"""A person changes their own profile (Mastodon's update_credentials)."""

from __future__ import annotations

from dataclasses import dataclass

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import ValidationFailed

MAX_FIELDS = 4


@dataclass(frozen=True, slots=True)
class ProfileChanges:
    display_name: str | None = None
    note: str | None = None
    locked: bool | None = None
    bot: bool | None = None
    discoverable: bool | None = None
    fields: list[tuple[str, str]] | None = None


async def update_profile(uow: UnitOfWork, *, account_id: int, changes: ProfileChanges) -> None:
    values: dict = {}
    if changes.display_name is not None:
        if len(changes.display_name) > 30:
            raise ValidationFailed("Display name is too long (maximum is 30 characters)")
        values["display_name"] = changes.display_name
    if changes.note is not None:
        if len(changes.note) > 500:
            raise ValidationFailed("Note is too long (maximum is 500 characters)")
        values["note"] = changes.note
    for flag in ("locked", "bot", "discoverable"):
        if getattr(changes, flag) is not None:
            values[flag] = getattr(changes, flag)
    if changes.fields is not None:
        if len(changes.fields) > MAX_FIELDS:
            raise ValidationFailed(f"Fields: at most {MAX_FIELDS}")
        if any(len(name) > 255 or len(value) > 255 for name, value in changes.fields):
            raise ValidationFailed("Fields: names and values are at most 255 characters")
        values["fields"] = [{"name": n, "value": v} for n, v in changes.fields if n or v]
    if values:
        await uow.accounts.update(account_id, **values)
