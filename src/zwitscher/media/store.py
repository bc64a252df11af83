"""Where uploaded files live, behind one small interface.

    MediaStore          put / url / delete / open by key: all that services and jobs use
    LocalMediaStore     files under a directory, served by the app itself at `/media/...`

Another store (S3-compatible object storage, say) implements `MediaStore` and is chosen in
`create_media_store`; callers do not change. Keys are unguessable (`new_key`): a file's URL is
shared with whoever may see the status it belongs to, and must not lead to anyone else's.
A document (a PDF) is served for download only, under the name its key ends in
(`download_name`); a store elsewhere sets that when it stores the file.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
from pathlib import Path
from typing import BinaryIO, Protocol

from zwitscher.settings import Settings

LOCAL_PREFIX = "/media/"
# Images (`new_key`), and documents in a folder of their own under the name they are
# downloaded as (`document_key`).
_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{2}/[A-Za-z0-9_-]{32}"
                     r"((-small)?\.(jpg|png|webp)|/[A-Za-z0-9_-]{1,80}\.pdf)$")
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp",
                 "pdf": "application/pdf"}


class MediaStore(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def url(self, key: str) -> str:
        """An absolute URL, or a path from our own origin (`/media/...`): presenters put the
        origin the client reached us by in front of those."""
        ...

    async def delete(self, key: str) -> None:
        """Forget the file; a key that is gone already is no error (jobs may run twice)."""
        ...

    def open(self, key: str) -> BinaryIO:
        """The stored file to read, from a thread (this blocks); FileNotFoundError when it is
        gone. People's archives copy their files through it (`services/make_archive.py`)."""
        ...


def new_key(extension: str) -> str:
    """A fresh key; the first two characters name a directory, so none grows too large."""
    token = secrets.token_urlsafe(24)
    return f"{token[:2]}/{token}.{extension}"


def document_key(file_name: str) -> str:
    """A fresh key for a document that ends in the name it is downloaded as (`file_name`, as
    `media.documents.safe_file_name` makes it): clients show a URL's last part as the name."""
    token = secrets.token_urlsafe(24)
    return f"{token[:2]}/{token}/{file_name}"


def download_name(key: str) -> str | None:
    """The name a document's file is saved under; None for an image (shown, not saved)."""
    return key.rpartition("/")[2] if key.count("/") == 2 else None


def small_key(key: str) -> str:
    stem, _, extension = key.rpartition(".")
    return f"{stem}-small.{extension}"


class LocalMediaStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, key: str) -> Path | None:
        """The file for a key from a URL; None for anything not shaped like our keys."""
        return self.root / key if _KEY_RE.match(key) else None

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._write, self.root / key, data)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a reader never sees half a file.
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(data)
        os.replace(partial, path)

    def url(self, key: str) -> str:
        return LOCAL_PREFIX + key

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._remove, self.root / key, download_name(key) is not None)

    @staticmethod
    def _remove(path: Path, in_own_folder: bool) -> None:
        path.unlink(missing_ok=True)
        if in_own_folder:
            # A document's folder holds it alone (`document_key`).
            with contextlib.suppress(OSError):
                path.parent.rmdir()

    def open(self, key: str) -> BinaryIO:
        return (self.root / key).open("rb")


def create_media_store(settings: Settings) -> MediaStore:
    return LocalMediaStore(settings.media_path)
