"""The embedded default's database, copied while the server runs.

SQLite's online backup API (`sqlite3.Connection.backup`, all pages in one step) copies what
one read transaction sees: in WAL mode the server's writers go on meanwhile, and each of their
commits is in the copy whole or not at all. Copying the file instead could mix pages from
before and after a commit, and would miss what still sits in the `-wal` file. The copy is
read through a read-only connection: a backup never writes to the live database.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from zwitscher.backup.archive import BackupError
from zwitscher.settings import Settings


def database_file(settings: Settings) -> Path:
    """The SQLite file the settings name (`zwitscher.sqlite3` in the data directory)."""
    name = make_url(settings.effective_database_url).database
    if not name or name == ":memory:":
        raise BackupError("The SQLite database is in memory: there is nothing to back up.")
    return Path(name).resolve()


def copy_online(source: Path, target: Path) -> None:
    """Copy the live database at `source` into the new file `target`."""
    if not source.is_file():
        raise BackupError(f"There is no database at {source}: is ZWITSCHER_DATA_DIR the "
                          "server's?")
    with (contextlib.closing(sqlite3.connect(source.as_uri() + "?mode=ro", uri=True,
                                             timeout=30)) as live,
          contextlib.closing(sqlite3.connect(target)) as copy):
        live.backup(copy)
        # One file that needs no `-wal` beside it; the server turns WAL on again.
        copy.execute("PRAGMA journal_mode=DELETE")


def async_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"
