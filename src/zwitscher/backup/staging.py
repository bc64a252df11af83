"""A directory restored aside and put in place at the end, so that a failed restore leaves
the target as it was.

The restore writes into `.NAME.restoring-XXXX` beside the target and renames it to the
target's name once everything is unpacked and checked: a restore that fails, or is stopped,
before that leaves the target untouched (at worst a `.restoring-` directory to delete). A
target that already holds something (`--force`) is renamed to `NAME.before-restore-TIME`
first, never deleted: the operator deletes it once the restored instance is checked.

A target that is a mount point (a container's volume) cannot be renamed, and its parent may be
another file system: there the restore writes into `.restoring-XXXX` inside it and moves the
entries out at the end, the database last.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from pathlib import Path


def is_empty(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


class Staging:
    def __init__(self, final: Path) -> None:
        self.final = final
        self._inside = final.is_dir() and os.path.ismount(final)
        token = secrets.token_hex(4)
        self.path = (final / f".restoring-{token}" if self._inside
                     else final.with_name(f".{final.name}.restoring-{token}"))
        self._created: Path | None = None

    def create(self) -> None:
        # The first folder on the way that did not exist: a failed restore removes it again.
        self._created = None
        ancestor = self.path.parent
        while not ancestor.exists():
            self._created, ancestor = ancestor, ancestor.parent
        self.path.mkdir(parents=True)

    def discard(self) -> None:
        shutil.rmtree(self._created or self.path, ignore_errors=True)

    def commit(self, *, last: str | None = None) -> Path | None:
        """Put the restored directory in place; returns where the target's earlier contents
        went (None if it had none). `last`: the entry moved last when moving entries."""
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        if self._inside:
            return self._move_entries(stamp, last)
        aside = None
        if self.final.exists():
            if any(self.final.iterdir()):
                aside = self.final.with_name(f"{self.final.name}.before-restore-{stamp}")
                self.final.rename(aside)
            else:
                self.final.rmdir()
        self.path.rename(self.final)
        return aside

    def _move_entries(self, stamp: str, last: str | None) -> Path | None:
        earlier = [entry for entry in self.final.iterdir() if entry != self.path]
        aside = None
        if earlier:
            aside = self.final / f".before-restore-{stamp}"
            aside.mkdir()
            for entry in earlier:
                entry.rename(aside / entry.name)
        for entry in sorted(self.path.iterdir(), key=lambda entry: entry.name == last):
            entry.rename(self.final / entry.name)
        self.path.rmdir()
        return aside
