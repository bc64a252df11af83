"""The job queue: background work written in the same transaction as what caused it."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import (
    UTCDateTime,
    created,
    id_column,
    metadata,
)

jobs = sa.Table(
    "jobs", metadata,
    id_column(),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("state", sa.String(16), nullable=False, server_default="queued"),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("run_at", UTCDateTime, nullable=False),
    sa.Column("locked_until", UTCDateTime, nullable=True),
    sa.Column("last_error", sa.Text, nullable=True),
    created(),
    sa.Index("ix_jobs_state_run_at", "state", "run_at"),
)
