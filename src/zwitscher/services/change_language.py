"""A person's language of the interface (Mastodon's `locale`), as the web's switcher sets it."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import ValidationFailed

INTERFACE_LANGUAGES = ("en", "de")


async def change_language(uow: UnitOfWork, *, user_id: int, language: str) -> None:
    if language not in INTERFACE_LANGUAGES:
        raise ValidationFailed("This language is not offered")
    await uow.accounts.update_user(user_id, locale=language)
