"""`zwitscher backup`: the database and the media files in one archive, while the server runs.

The database is copied first, as of one moment (SQLite's online backup; on PostgreSQL
`pg_dump` in a snapshot that the manifest's counts are read in too), then the media files.
Uploads write their file before the row that names it commits, so every file the copied
database names exists by then; only one deleted in the seconds between the two steps can be
missing. Files uploaded meanwhile come along unnamed, and harm nothing.
"""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from zwitscher import __version__
from zwitscher.backup import postgres, sqlite
from zwitscher.backup.archive import (
    DATABASE_DIR,
    MANIFEST,
    MEDIA_DIR,
    ArchiveWriter,
    BackupError,
    Manifest,
    compressed,
)
from zwitscher.db.repos.backup_facts import BackupFactsRepo
from zwitscher.media.store import LocalMediaStore, create_media_store
from zwitscher.settings import Settings


@dataclass(frozen=True)
class BackupDone:
    archive: Path
    manifest: Manifest
    media_files: int


def archive_path(destination: Path | None) -> Path:
    """The archive's file: `destination`, or a dated name in it (a folder) or here."""
    name = f"zwitscher-backup-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.tar.gz"
    if destination is None:
        return Path.cwd() / name
    if destination.is_dir():
        return destination / name
    compressed(destination)
    return destination


def back_up(settings: Settings, archive: Path) -> BackupDone:
    if archive.exists():
        raise BackupError(f"{archive} exists already: name another file.")
    if not archive.parent.is_dir():
        raise BackupError(f"There is no folder {archive.parent} to write the archive in.")
    media_root = local_media_root(settings)
    # The database copy is written beside the archive: the same disk holds both anyway.
    with tempfile.TemporaryDirectory(prefix=".zwitscher-backup-", dir=archive.parent) as work:
        if settings.is_sqlite:
            copy = Path(work) / "zwitscher.sqlite3"
            sqlite.copy_online(sqlite.database_file(settings), copy)
            revision, counts, extra = asyncio.run(_sqlite_facts(copy))
        else:
            copy = Path(work) / "zwitscher.pgdump"
            revision, counts, extra = asyncio.run(_dump_postgres(settings, copy))
        manifest = Manifest(
            zwitscher_version=__version__, schema_revision=revision,
            engine="sqlite" if settings.is_sqlite else "postgresql",
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            database=f"{DATABASE_DIR}/{copy.name}", media=media_root is not None,
            counts=counts, postgresql=extra)
        media = _media_files(media_root) if media_root is not None else []
        kept = 0
        with ArchiveWriter(archive) as writer:
            writer.add_bytes(MANIFEST, manifest.to_json())
            writer.add_file(manifest.database, copy, mode=0o600)
            for key, path in media:
                kept += writer.add_file(f"{MEDIA_DIR}/{key}", path)
    return BackupDone(archive, manifest, kept)


def local_media_root(settings: Settings) -> Path | None:
    """The media store's folder; None for a store elsewhere (object storage keeps its own
    copies), whose files an archive cannot hold."""
    store = create_media_store(settings)
    return store.root if isinstance(store, LocalMediaStore) else None


def _media_files(root: Path) -> list[tuple[str, Path]]:
    if not root.is_dir():
        return []
    # `.partial` files are uploads being written: their rows do not exist yet.
    return sorted((path.relative_to(root).as_posix(), path) for path in root.rglob("*")
                  if path.is_file() and not path.name.endswith(".partial"))


async def _sqlite_facts(copy: Path) -> tuple[str, dict[str, int], dict[str, str]]:
    engine = create_async_engine(sqlite.async_url(copy), poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            revision, counts = await _facts(conn)
    finally:
        await engine.dispose()
    return revision, counts, {}


async def _dump_postgres(settings: Settings, target: Path
                         ) -> tuple[str, dict[str, int], dict[str, str]]:
    """pg_dump in a snapshot that this connection exported and holds open meanwhile, so the
    counts are those of the dump."""
    pg_dump = postgres.find_tool("pg_dump")
    database = postgres.connection(settings)
    engine = create_async_engine(settings.effective_database_url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            server = await BackupFactsRepo(conn).server_major_version()
            postgres.require_at_least(pg_dump, server, why="the PostgreSQL server")
            await conn.commit()
            await conn.execution_options(isolation_level="REPEATABLE READ",
                                         postgresql_readonly=True)
            async with conn.begin():
                snapshot = await BackupFactsRepo(conn).export_snapshot()
                revision, counts = await _facts(conn)
                await postgres.run(pg_dump, "--format=custom", f"--snapshot={snapshot}",
                                   f"--file={target}", f"--dbname={database.url}",
                                   conn=database)
    finally:
        await engine.dispose()
    return revision, counts, {"server_major_version": str(server),
                              "pg_dump_version": pg_dump.version}


async def _facts(conn: AsyncConnection) -> tuple[str, dict[str, int]]:
    facts = BackupFactsRepo(conn)
    revision = await facts.schema_revision()
    if revision is None:
        raise BackupError("The database has no Zwitscher schema (was the server ever started "
                          "on it?): there is nothing to back up.")
    return revision, await facts.counts()
