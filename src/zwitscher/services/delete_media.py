"""Delete media attachments: the rows now, the files by a job once the deletion is durable
(a rollback must not leave rows pointing at files that are gone)."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.jobs import DeleteMediaFiles
from zwitscher.services.describe_media import own_unattached_media


async def delete_media(uow: UnitOfWork, *, account_id: int, media_id: int) -> None:
    """An upload its uploader decided not to post (posted ones go with their status)."""
    media = await uow.media.get(media_id)
    if media is not None and media.account_id == account_id and (
            media.status_id is not None or media.scheduled_status_id is not None
            or media.brand_draft_id is not None or media.press_release_id is not None):
        # Also while it waits to be posted: the post must not go out without it.
        raise ValidationFailed("Media attachment is currently used by a status")
    media = await own_unattached_media(uow, account_id=account_id, media_id=media_id)
    await discard_media(uow, [media])


async def discard_media(uow: UnitOfWork, rows: Iterable[sa.Row]) -> None:
    rows = list(rows)
    if not rows:
        return
    await uow.media.delete_many([row.id for row in rows])
    await forget_files(uow, [key for row in rows for key in (row.file_key, row.preview_key)])


async def forget_files(uow: UnitOfWork, keys: list[str | None]) -> None:
    keys = [key for key in keys if key]
    if keys:
        await uow.enqueue(DeleteMediaFiles(keys=tuple(keys)))


async def delete_files(uow: UnitOfWork, *, keys: list[str]) -> None:
    """The job's body; deleting a file that is gone already is no error, so it may run
    twice."""
    for key in keys:
        await uow.media_store.delete(key)
