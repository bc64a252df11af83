"""Where people's archives are kept until they expire: zip files in a directory of their own
(`Settings.archive_path`), apart from the media store, whose files anyone with the URL may
fetch. An archive is handed out only by `services/download_archive.py`, to its owner.

    ArchiveStore.writer(key)   an `ArchiveWriter`: the zip is written as `<key>.partial` and
                               renamed to its key when complete, so a file under its key is
                               always a whole archive
    ArchiveStore.path_of(key)  the finished file, streamed to its owner
    ArchiveStore.delete(key)   when it expires

An archive can be larger than memory: members are written piece by piece, each piece in a
thread (the event loop, which serves requests meanwhile, never waits on the disk).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
import shutil
import time
import zipfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import BinaryIO

from zwitscher.settings import Settings

_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{32}\.zip$")
_CHUNK = 1024 * 1024


def new_archive_key() -> str:
    return f"{secrets.token_urlsafe(24)}.zip"


class ArchiveStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, key: str) -> Path | None:
        """The file of a stored key; None for anything not shaped like our keys."""
        return self.root / key if _KEY_RE.match(key) else None

    def writer(self, key: str) -> ArchiveWriter:
        return ArchiveWriter(self.root / key)

    async def delete(self, key: str) -> None:
        """A key that is gone already is no error (jobs may run twice)."""
        path = self.path_of(key)
        if path is not None:
            await asyncio.to_thread(path.unlink, missing_ok=True)


def archive_store(settings: Settings) -> ArchiveStore:
    return ArchiveStore(settings.archive_path)


Write = Callable[[bytes], Awaitable[None]]


class ArchiveWriter:
    """A zip being written, one member at a time (a zip has one member open at once)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self._zip: zipfile.ZipFile | None = None

    async def start(self) -> None:
        await asyncio.to_thread(self.path.parent.mkdir, parents=True, exist_ok=True)
        self._zip = await asyncio.to_thread(zipfile.ZipFile, self.partial, "w")

    @contextlib.asynccontextmanager
    async def member(self, name: str) -> AsyncIterator[Write]:
        """A compressed member written in pieces (its size unknown beforehand: ZIP64)."""
        handle = await asyncio.to_thread(self._zip.open, _info(name, zipfile.ZIP_DEFLATED),
                                         "w", force_zip64=True)
        try:
            async def write(data: bytes) -> None:
                await asyncio.to_thread(handle.write, data)

            yield write
        finally:
            await asyncio.to_thread(handle.close)

    async def add(self, name: str, data: bytes) -> None:
        """A small compressed member (a CSV, the profile)."""
        await asyncio.to_thread(self._zip.writestr, _info(name, zipfile.ZIP_DEFLATED), data)

    async def copy(self, name: str, source: Callable[[], BinaryIO]) -> bool:
        """A member copied from a file opened by `source` (a media file: compressed already,
        so stored as it is); False, and no member, when the file is gone."""
        return await asyncio.to_thread(self._copy, name, source)

    def _copy(self, name: str, source: Callable[[], BinaryIO]) -> bool:
        try:
            opened = source()
        except FileNotFoundError:
            return False
        with opened, self._zip.open(_info(name, zipfile.ZIP_STORED), "w",
                                    force_zip64=True) as target:
            shutil.copyfileobj(opened, target, _CHUNK)
        return True

    async def finish(self) -> int:
        """Complete the zip and put it under its key; its size in bytes."""
        await asyncio.to_thread(self._zip.close)
        await asyncio.to_thread(os.replace, self.partial, self.path)
        return (await asyncio.to_thread(self.path.stat)).st_size

    async def abandon(self) -> None:
        """Nothing of a zip that will not be finished stays behind."""
        if self._zip is not None:
            with contextlib.suppress(Exception):
                await asyncio.to_thread(self._zip.close)
        await asyncio.to_thread(self.partial.unlink, missing_ok=True)


def _info(name: str, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info
