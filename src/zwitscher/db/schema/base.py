"""What every table module shares: the metadata, the UTC time type and the column shapes.

Every id is a time-sortable 64-bit integer from `domain.ids` (supplied by us, never by the
database), so `ORDER BY id DESC` is newest first and pagination is a range scan.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)


class UTCDateTime(TypeDecorator):
    """Stored as naive UTC (SQLite has no time zones), always returned aware in UTC."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def id_column(name: str = "id", **kw) -> sa.Column:
    return sa.Column(name, sa.BigInteger, primary_key=True, autoincrement=False, **kw)


def reference(name: str, table: str, *, nullable: bool = False, index: bool = False) -> sa.Column:
    return sa.Column(name, sa.BigInteger, sa.ForeignKey(f"{table}.id", ondelete="CASCADE"),
                     nullable=nullable, index=index)


def created() -> sa.Column:
    return sa.Column("created_at", UTCDateTime, nullable=False)


def account_pair(name: str, *extra: sa.Column) -> sa.Table:
    """Follows, follow requests, blocks and mutes: one row per (account, target account)."""
    return sa.Table(
        name, metadata,
        id_column(),
        reference("account_id", "accounts"),
        reference("target_account_id", "accounts", index=True),
        *extra,
        created(),
        sa.UniqueConstraint("account_id", "target_account_id"),
    )
