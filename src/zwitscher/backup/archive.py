"""The backup archive: one tar file, gzip-compressed when its name ends in `.gz` or `.tgz`.

    manifest.json                   first: what this is (format, versions, schema revision,
                                    engine, when, row counts), read before anything is unpacked
    database/zwitscher.sqlite3      the embedded default's database, or
    database/zwitscher.pgdump       PostgreSQL's (`pg_dump --format=custom`)
    media/<key>                     the local media store's files, under their keys
    checksums.sha256                last: the SHA-256 of every other member, as `sha256sum -c`
                                    reads it after `tar -xf`

A restore trusts nothing it has not checked: members are unpacked only to the places above
(`place` decides where), only regular files are taken, and the archive is good only if every
file matches its checksum and none is missing or extra. The writer writes `<name>.partial` and
renames it when complete, so an archive under its real name is always a whole one.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import tarfile
import time
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import orjson

FORMAT = "zwitscher-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHECKSUMS = "checksums.sha256"
DATABASE_DIR = "database"
MEDIA_DIR = "media"
SUFFIXES = (".tar.gz", ".tgz", ".tar")
# Larger manifests or checksum lists than these are no archive of ours (the checksum list has
# one line, ~100 bytes, per media file).
_MANIFEST_BYTES = 64 * 1024
_CHECKSUMS_BYTES = 1024 * 1024 * 1024
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


@dataclass(frozen=True)
class Manifest:
    zwitscher_version: str
    schema_revision: str
    engine: str  # "sqlite" or "postgresql"
    created_at: str
    database: str  # the database file's member name
    media: bool  # whether the media store's files are in the archive
    counts: dict[str, int]
    # PostgreSQL: the server's and pg_dump's versions (pg_restore must be as new as pg_dump).
    postgresql: dict[str, str] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION

    def to_json(self) -> bytes:
        return orjson.dumps({"format": FORMAT, "format_version": self.format_version,
                             **asdict(self)}, option=orjson.OPT_INDENT_2)

    @classmethod
    def from_json(cls, data: bytes, *, archive: Path) -> Manifest:
        try:
            fields = orjson.loads(data)
            if not isinstance(fields, dict) or fields.pop("format", None) != FORMAT:
                raise ValueError("not a Zwitscher manifest")
            if int(fields.get("format_version", 0)) > FORMAT_VERSION:
                raise BackupError(
                    f"{archive} was made by a newer Zwitscher ({fields.get('zwitscher_version')}"
                    f", archive format {fields['format_version']}; this one reads format "
                    f"{FORMAT_VERSION}): restore it with that version or a newer one.")
            return cls(**fields)
        except (ValueError, TypeError) as exc:
            raise BackupError(f"{archive} is not a Zwitscher backup: its {MANIFEST} cannot "
                              f"be read ({exc}).") from exc


def compressed(path: Path) -> bool:
    if not path.name.endswith(SUFFIXES):
        raise BackupError(f"An archive's name ends in .tar.gz or .tgz (compressed) or .tar: "
                          f"{path.name} does not.")
    return not path.name.endswith(".tar")


class ArchiveWriter:
    """`with ArchiveWriter(path) as archive:` adds members; leaving the block without an
    error completes the archive (checksums last) and gives it its name, with one removes
    the partial file. The file is readable by its owner only: it holds password hashes,
    tokens and the instance's private keys."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._partial = path.with_name(path.name + ".partial")
        gzipped = compressed(path)
        descriptor = os.open(self._partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._file = os.fdopen(descriptor, "wb")
        self._tar = tarfile.open(fileobj=self._file, mode="w:gz" if gzipped else "w",
                                 format=tarfile.PAX_FORMAT)
        self._sums: dict[str, str] = {}

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, kind, _value, _traceback) -> None:
        if kind is None:
            self._finish()
        else:
            self._tar.close()
            self._file.close()
            self._partial.unlink(missing_ok=True)

    def add_bytes(self, name: str, data: bytes) -> None:
        info = self._info(name, len(data), mode=0o644)
        self._sums[name] = hashlib.sha256(data).hexdigest()
        self._tar.addfile(info, _Hashing(io.BytesIO(data)))

    def add_file(self, name: str, path: Path, *, mode: int = 0o644) -> bool:
        """False when the file is gone (a media file deleted after the database was copied)."""
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            return False
        with handle:
            reader = _Hashing(handle)
            self._tar.addfile(self._info(name, os.fstat(handle.fileno()).st_size, mode=mode),
                              reader)
        self._sums[name] = reader.hexdigest()
        return True

    def _info(self, name: str, size: int, *, mode: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, mode, int(time.time())
        return info

    def _finish(self) -> None:
        listing = "".join(f"{digest}  {name}\n" for name, digest in self._sums.items())
        data = listing.encode()
        self._tar.addfile(self._info(CHECKSUMS, len(data), mode=0o644), io.BytesIO(data))
        self._tar.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self._partial, self.path)


def read_archive(path: Path, *, check: Callable[[Manifest], None],
                 place: Callable[[Manifest, PurePosixPath], Path]) -> Manifest:
    """Unpack `path`: `check` sees the manifest before anything is written, `place` says where
    each file goes (a fresh path; it raises BackupError for a member that has no place). Raises
    BackupError for an archive that is not ours, damaged or cut short; what was unpacked by
    then is the caller's to throw away."""
    written: dict[str, str] = {}
    listed: dict[str, str] | None = None
    try:
        with tarfile.open(path, "r|*") as tar:
            members = iter(tar)
            first = next(members, None)
            if first is None or first.name != MANIFEST or not first.isfile():
                raise BackupError(f"{path} is not a Zwitscher backup (it does not begin with "
                                  f"{MANIFEST}).")
            data = tar.extractfile(first).read(_MANIFEST_BYTES)
            manifest = Manifest.from_json(data, archive=path)
            check(manifest)
            written[MANIFEST] = hashlib.sha256(data).hexdigest()
            for member in members:
                if member.isdir():
                    continue
                if not member.isfile():
                    raise BackupError(f"{path} is not a Zwitscher backup: {member.name} is "
                                      "not a regular file.")
                if member.name == CHECKSUMS:
                    listed = _parse_checksums(tar.extractfile(member).read(_CHECKSUMS_BYTES),
                                              archive=path)
                    continue
                name = _member_name(member.name, archive=path)
                if str(name) in written:
                    raise BackupError(f"{path} is damaged: {name} is in it twice.")
                written[str(name)] = _unpack(tar.extractfile(member), place(manifest, name))
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise BackupError(f"{path} is damaged or not a Zwitscher backup ({exc}).") from exc
    if listed is None:
        raise BackupError(f"{path} is incomplete: it ends before its {CHECKSUMS} (was the "
                          "backup cut short?).")
    for name in sorted(set(listed) | set(written)):
        if name not in written:
            raise BackupError(f"{path} is damaged: {name} is missing.")
        if listed.get(name) != written[name]:
            raise BackupError(f"{path} is damaged: {name} does not match its checksum.")
    return manifest


def _member_name(name: str, *, archive: Path) -> PurePosixPath:
    """A relative path below `database/` or `media/`, without `..`: nothing is written
    outside the places a restore prepared."""
    parts = name.split("/")
    if (len(parts) < 2 or parts[0] not in (DATABASE_DIR, MEDIA_DIR)
            or any(part in ("", ".", "..") for part in parts)):
        raise BackupError(f"{archive} is not a Zwitscher backup: it holds {name!r}.")
    return PurePosixPath(name)


def _parse_checksums(data: bytes, *, archive: Path) -> dict[str, str]:
    listed = {}
    for line in data.decode(errors="replace").splitlines():
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name:
            raise BackupError(f"{archive} is damaged: its {CHECKSUMS} cannot be read.")
        listed[name] = digest
    return listed


def _unpack(source: BinaryIO, target: Path) -> str:
    digest = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("xb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


class _Hashing:
    """A reader that hashes what tarfile reads through it (each file is read once)."""

    def __init__(self, source) -> None:
        self._source = source
        self._digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self._source.read(size)
        self._digest.update(chunk)
        return chunk

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


