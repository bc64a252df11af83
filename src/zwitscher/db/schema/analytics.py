"""Analytics counters: raw events written by the actions that cause them, and the hourly and
daily buckets a recurring job rolls them into (`services/roll_up_analytics.py`).

  analytics_events          append-only, one row per counted event (its hour already cut)
  analytics_hourly/_daily   (subject kind, subject id, metric, bucket start) -> value
  analytics_open_mentions   mentions an account has not answered yet, by thread

An event is a plain insert in the transaction of the action (measured on SQLite against an
upsert of a pending counter: see docs/analytics.md), so posting pays one short row per count.
Subjects are an account (person or brand), a group, or the organisation (kind "instance",
id 0). No foreign keys: counters of a deleted account or group are dropped by nobody's
cascade, and reading them needs its subject anyway.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import UTCDateTime, id_column, metadata

analytics_events = sa.Table(
    "analytics_events", metadata,
    id_column(),
    sa.Column("subject_kind", sa.String(8), nullable=False),
    sa.Column("subject_id", sa.BigInteger, nullable=False),
    sa.Column("metric", sa.String(32), nullable=False),
    # The start of the hour the event happened in (UTC).
    sa.Column("hour", UTCDateTime, nullable=False),
    sa.Column("value", sa.BigInteger, nullable=False),
    # No index but the primary key: each one cost the action more than the whole row (see
    # docs/analytics.md), and a read scans at most one roll-up interval's events.
)


def _buckets(name: str) -> sa.Table:
    """A subject's buckets of a period are one range of the primary key (time before metric),
    and on SQLite the table is that key (WITHOUT ROWID): a year's page reads one run of rows,
    half the time of an index and a lookup per row (bench/analytics.py)."""
    return sa.Table(
        name, metadata,
        sa.Column("subject_kind", sa.String(8), nullable=False),
        sa.Column("subject_id", sa.BigInteger, nullable=False),
        sa.Column("metric", sa.String(32), nullable=False),
        sa.Column("bucket_start", UTCDateTime, nullable=False),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("subject_kind", "subject_id", "bucket_start", "metric"),
        sqlite_with_rowid=False,
    )


analytics_hourly = _buckets("analytics_hourly")
analytics_daily = _buckets("analytics_daily")

analytics_open_mentions = sa.Table(
    "analytics_open_mentions", metadata,
    sa.Column("account_id", sa.BigInteger, nullable=False),
    # The thread the mention was made in (its first status).
    sa.Column("thread_root_id", sa.BigInteger, nullable=False),
    # Forgotten after OPEN_MENTION_DAYS (`services/roll_up_analytics.py`).
    sa.Column("mentioned_at", UTCDateTime, nullable=False, index=True),
    sa.PrimaryKeyConstraint("account_id", "thread_root_id"),
)
