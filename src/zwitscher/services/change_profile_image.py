"""A person sets or removes their avatar or header (update_credentials, /api/v1/profile)."""

from __future__ import annotations

from typing import Literal

from zwitscher.db.uow import UnitOfWork
from zwitscher.media.images import ProcessedImage
from zwitscher.media.store import new_key
from zwitscher.services.delete_media import forget_files

ProfileImage = Literal["avatar", "header"]


async def set_profile_image(uow: UnitOfWork, *, account_id: int, which: ProfileImage,
                            image: ProcessedImage) -> None:
    key = new_key(image.extension)
    await uow.media_store.put(key, image.original.data, image.content_type)
    await _replace(uow, account_id, which, key=key, url=uow.media_store.url(key))


async def remove_profile_image(uow: UnitOfWork, *, account_id: int,
                               which: ProfileImage) -> None:
    await _replace(uow, account_id, which, key=None, url=None)


async def _replace(uow: UnitOfWork, account_id: int, which: ProfileImage, *,
                   key: str | None, url: str | None) -> None:
    account = await uow.accounts.get(account_id)
    await forget_files(uow, [getattr(account, f"{which}_key")])
    await uow.accounts.update(account_id, **{f"{which}_key": key, f"{which}_url": url})
