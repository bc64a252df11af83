"""Hand a person their archive: only theirs, only while it is ready and not expired. Anyone
else's, and one that is not there (yet, or any more), is simply not found: the answer says
nothing of whether it exists."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zwitscher.db.repos.archives import READY
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound
from zwitscher.media.archives import archive_store
from zwitscher.services.oauth import Viewer
from zwitscher.services.request_archive import own_account


@dataclass(frozen=True, slots=True)
class ArchiveFile:
    path: Path
    filename: str


async def download_archive(uow: UnitOfWork, *, viewer: Viewer, archive_id: int) -> ArchiveFile:
    account_id = own_account(viewer)
    archive = await uow.archives.get(archive_id)
    if (archive is None or archive.account_id != account_id or archive.state != READY
            or archive.expires_at <= utcnow()):
        raise NotFound()
    path = archive_store(uow.settings).path_of(archive.file_key)
    account = await uow.accounts.get(account_id)
    if path is None or account is None or not path.is_file():
        raise NotFound()
    return ArchiveFile(path, f"archive-{account.username}-{archive.ready_at:%Y%m%d%H%M%S}.zip")
