"""Backup and restore of a whole instance: its database and its media files in one archive.

    back_up.py       `zwitscher backup`: a consistent copy while the server runs
    restore.py       `zwitscher restore`: into a new data directory or database
    archive.py       the archive's layout, its manifest and checksums
    sqlite.py        the embedded default's online copy
    postgres.py      pg_dump and pg_restore, found on PATH and driven
    staging.py       a restore writes aside and puts the result in place at the end
    cached_state.py  what Redis holds (nothing to back up), dropped after a restore

docs/backup.md is the operator's side of it.
"""
