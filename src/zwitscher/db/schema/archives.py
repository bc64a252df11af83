"""A person's archive exports: asked for, made by a job, downloadable until they expire."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import UTCDateTime, created, id_column, metadata, reference

# One row per request. `state` goes queued → running → ready → expired, or ends `failed`
# when the job gave up (`services/make_archive.py`); the newest row of a person is what their
# settings page shows, and its `created_at` when they may ask again.
archive_exports = sa.Table(
    "archive_exports", metadata,
    id_column(),
    reference("account_id", "accounts"),
    sa.Column("state", sa.String(16), nullable=False, server_default="queued"),
    # Each run of the job that makes it claims it (counted here) until `locked_until`, and
    # renews that while it writes: a second run finds it taken and waits, a stalled one whose
    # claim was taken over stops.
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", UTCDateTime, nullable=True),
    # The zip in the archive store (`media/archives.py`), once ready.
    sa.Column("file_key", sa.String(200), nullable=True),
    sa.Column("file_size", sa.BigInteger, nullable=True),
    sa.Column("ready_at", UTCDateTime, nullable=True),
    sa.Column("expires_at", UTCDateTime, nullable=True),
    created(),
    sa.Index("ix_archive_exports_account_id_id", "account_id", "id"),
)
