"""An archive's time is up (the `archive.expire` job, queued when it became ready): its row
says so and its file goes. The file goes also when the row went first, with its account."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.media.archives import archive_store


async def expire_archive(uow: UnitOfWork, *, archive_id: int, file_key: str) -> None:
    await uow.archives.expire(archive_id)
    await archive_store(uow.settings).delete(file_key)
