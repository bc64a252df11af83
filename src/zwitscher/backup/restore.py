"""`zwitscher restore ARCHIVE`: a backup into a new data directory or database.

    SQLite      the whole data directory is unpacked aside and put in place at the end
                (`staging.Staging`): until then the target is untouched
    PostgreSQL  `pg_restore --clean --if-exists --no-owner` in one transaction into the database
                of ZWITSCHER_DATABASE_URL, after the archive was checked whole; the media folder
                is unpacked aside and put in place after it

A target that holds data is refused unless `--force` (then its earlier contents are set aside,
on PostgreSQL dropped by pg_restore's `--clean`). The manifest is checked before anything is
unpacked: the engine must match, and a schema revision this code does not know (a backup made
by a newer Zwitscher) is refused; an older one is fine, `serve` migrates it on start.
"""

from __future__ import annotations

import asyncio
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from zwitscher import __version__
from zwitscher.backup import postgres, sqlite
from zwitscher.backup.archive import DATABASE_DIR, BackupError, Manifest, read_archive
from zwitscher.backup.back_up import local_media_root
from zwitscher.backup.cached_state import forget_cached_state
from zwitscher.backup.staging import Staging, is_empty
from zwitscher.db.migrate import MIGRATIONS
from zwitscher.db.repos.backup_facts import BackupFactsRepo
from zwitscher.settings import Settings


@dataclass(frozen=True)
class RestoreDone:
    manifest: Manifest
    target: str
    set_aside: list[Path]
    cached_state: str | None


@dataclass
class _Plan:
    """Where each part of the archive goes."""

    engine: str
    target: str
    database: Path  # the staged SQLite file, or the pg_dump file to restore from
    media: Path | None  # the staged media folder
    stagings: list[Staging]
    database_entry: str | None = None  # the data directory's entry moved in last


def restore(settings: Settings, archive: Path, *, force: bool) -> RestoreDone:
    pg_restore = None if settings.is_sqlite else postgres.find_tool("pg_restore")
    with ExitStack() as cleanup:
        plan = _plan(settings, cleanup)
        if not force:
            _refuse_unless_empty(settings, plan)
        for staging in plan.stagings:
            staging.create()
        try:
            manifest = read_archive(archive, check=lambda manifest: _check(
                manifest, engine=plan.engine, pg_restore=pg_restore), place=_place(plan))
            if pg_restore is not None:
                asyncio.run(_pg_restore(settings, pg_restore, plan.database))
            else:
                plan.database.chmod(0o600)
            set_aside = [aside for staging in plan.stagings
                         if (aside := staging.commit(last=plan.database_entry)) is not None]
        except BaseException:
            for staging in plan.stagings:
                staging.discard()
            raise
    return RestoreDone(manifest, plan.target, set_aside, forget_cached_state(settings))


def _plan(settings: Settings, cleanup: ExitStack) -> _Plan:
    media_root = local_media_root(settings)
    if not settings.is_sqlite:
        # The dump is unpacked to a temporary folder (TMPDIR), checked, then restored.
        scratch = Path(cleanup.enter_context(tempfile.TemporaryDirectory(
            prefix="zwitscher-restore-")))
        stagings = [Staging(media_root)] if media_root is not None else []
        return _Plan("postgresql", "the database of ZWITSCHER_DATABASE_URL",
                     scratch / "zwitscher.pgdump",
                     stagings[0].path if stagings else None, stagings)
    data_dir = settings.data_dir.resolve()
    database = sqlite.database_file(settings)
    if not database.is_relative_to(data_dir):
        raise BackupError(f"Restore puts the SQLite database into the data directory "
                          f"({data_dir}), but ZWITSCHER_DATABASE_URL names {database}: unset "
                          "it, or set ZWITSCHER_DATA_DIR to the folder it is in.")
    main = Staging(data_dir)
    plan = _Plan("sqlite", str(data_dir), main.path / database.relative_to(data_dir), None,
                 [main], database_entry=database.relative_to(data_dir).parts[0])
    if media_root is not None:
        media_root = media_root.resolve()
        if media_root.is_relative_to(data_dir):
            plan.media = main.path / media_root.relative_to(data_dir)
        else:
            # ZWITSCHER_MEDIA_DIR outside the data directory: restored aside of its own.
            media = Staging(media_root)
            plan.stagings.insert(0, media)
            plan.media = media.path
    return plan


def _refuse_unless_empty(settings: Settings, plan: _Plan) -> None:
    for staging in plan.stagings:
        if not is_empty(staging.final):
            raise BackupError(f"{staging.final} is not empty: restore into an empty or new "
                              "folder, or add --force to replace it (its contents are kept "
                              "beside it, as …before-restore-TIME).")
    if plan.engine == "postgresql":
        tables = asyncio.run(_tables(settings))
        if tables:
            raise BackupError(f"The database of ZWITSCHER_DATABASE_URL is not empty (it has "
                              f"{len(tables)} tables): restore into a fresh database "
                              "(createdb), or add --force to replace what the backup holds "
                              "(pg_restore --clean).")


def _check(manifest: Manifest, *, engine: str, pg_restore: postgres.Tool | None) -> None:
    if manifest.engine != engine:
        raise BackupError(f"This is a backup of a {manifest.engine} database; this Zwitscher "
                          f"is set up for {engine} (ZWITSCHER_DATABASE_URL): restore it into "
                          "an instance on the same engine.")
    script = ScriptDirectory(str(MIGRATIONS))
    if manifest.schema_revision not in {known.revision for known in script.walk_revisions()}:
        raise BackupError(
            f"This backup's database is at schema revision {manifest.schema_revision}, which "
            f"this Zwitscher ({__version__}, newest revision {script.get_current_head()}) "
            f"does not know: it was made by a newer version "
            f"({manifest.zwitscher_version}). Restore it with that version or a newer one.")
    if pg_restore is not None:
        made_by = manifest.postgresql.get("pg_dump_version", "0")
        postgres.require_at_least(pg_restore, int(made_by.split(".")[0]),
                                  why=f"the pg_dump that made this backup ({made_by})")


def _place(plan: _Plan):
    def place(manifest: Manifest, name: PurePosixPath) -> Path:
        if name.parts[0] == DATABASE_DIR:
            if str(name) != manifest.database:
                raise BackupError(f"This backup holds {name}, but its manifest names "
                                  f"{manifest.database} as its database.")
            return plan.database
        if plan.media is None or not manifest.media:
            raise BackupError(f"This backup holds {name}, but there is no media folder to "
                              "restore it to.")
        return plan.media.joinpath(*name.parts[1:])

    return place


async def _tables(settings: Settings) -> list[str]:
    engine = create_async_engine(settings.effective_database_url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            return await BackupFactsRepo(conn).table_names()
    finally:
        await engine.dispose()


async def _pg_restore(settings: Settings, pg_restore: postgres.Tool, dump: Path) -> None:
    """All or nothing (`--single-transaction`). Ownership and grants are the target's: the
    tables belong to whoever ZWITSCHER_DATABASE_URL signs in as."""
    database = postgres.connection(settings)
    await postgres.run(pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges",
                       "--single-transaction", f"--dbname={database.url}", str(dump),
                       conn=database)
