"""A person changes their own profile (Mastodon's update_credentials)."""

from __future__ import annotations

from dataclasses import dataclass

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.time_zones import zone_named

MAX_FIELDS = 4
MAX_DISPLAY_NAME = 30
MAX_NOTE = 500


class TextTooLong(ValidationFailed):
    """Which text was too long, so a form can say so next to it."""

    def __init__(self, message: str, *, field: str, maximum: int) -> None:
        super().__init__(message, maximum=maximum)
        self.field = field
        self.maximum = maximum


@dataclass(frozen=True, slots=True)
class ProfileChanges:
    display_name: str | None = None
    note: str | None = None
    locked: bool | None = None
    bot: bool | None = None
    discoverable: bool | None = None
    # Whether others see whom the person follows and who follows them.
    hide_collections: bool | None = None
    # Whether their posts are found by others' full-text search (`policies.search`).
    indexable: bool | None = None
    fields: list[tuple[str, str]] | None = None
    # `source[...]`: posting defaults, stored with the person (the user row).
    default_visibility: str | None = None
    default_sensitive: bool | None = None
    default_language: str | None = None
    # The IANA time zone the person reads times in ("": none chosen, times in UTC).
    time_zone: str | None = None


# Defaults a person may choose; `group` needs groups named per post, so it is no default.
DEFAULT_VISIBILITIES = ("public", "unlisted", "private", "direct", "internal")


async def update_profile(uow: UnitOfWork, *, account_id: int, changes: ProfileChanges) -> None:
    values: dict = {}
    if changes.display_name is not None:
        if len(changes.display_name) > MAX_DISPLAY_NAME:
            raise TextTooLong("Display name is too long (maximum is %(maximum)s characters)",
                              field="display_name", maximum=MAX_DISPLAY_NAME)
        values["display_name"] = changes.display_name
    if changes.note is not None:
        if len(changes.note) > MAX_NOTE:
            raise TextTooLong("Note is too long (maximum is %(maximum)s characters)",
                              field="note", maximum=MAX_NOTE)
        values["note"] = changes.note
    for flag in ("locked", "bot", "discoverable", "hide_collections", "indexable"):
        if getattr(changes, flag) is not None:
            values[flag] = getattr(changes, flag)
    if changes.fields is not None:
        if len(changes.fields) > MAX_FIELDS:
            raise ValidationFailed("Fields: at most %(max_fields)s", max_fields=MAX_FIELDS)
        if any(len(name) > 255 or len(value) > 255 for name, value in changes.fields):
            raise ValidationFailed("Fields: names and values are at most 255 characters")
        values["fields"] = [{"name": n, "value": v} for n, v in changes.fields if n or v]
    preferences = _preferences(changes)
    if values:
        await uow.accounts.update(account_id, **values)
    if preferences:
        user = await uow.accounts.user_for_account(account_id)
        if user is not None:
            await uow.accounts.update_user(user.id, **preferences)


def _preferences(changes: ProfileChanges) -> dict:
    values: dict = {}
    if changes.default_visibility is not None:
        if changes.default_visibility not in DEFAULT_VISIBILITIES:
            raise ValidationFailed("Default visibility must be one of %(choices)s",
                                   choices=", ".join(DEFAULT_VISIBILITIES))
        values["default_visibility"] = changes.default_visibility
    if changes.default_sensitive is not None:
        values["default_sensitive"] = changes.default_sensitive
    if changes.default_language is not None:
        language = changes.default_language.strip()
        if language and not (language.isalpha() and 2 <= len(language) <= 3):
            raise ValidationFailed("Language must be an ISO 639 code")
        values["default_language"] = language.lower() or None
    if changes.time_zone is not None:
        if changes.time_zone and zone_named(changes.time_zone) is None:
            raise ValidationFailed("Time zone must be one of the list, such as Europe/Berlin")
        values["time_zone"] = changes.time_zone or None
    return values
