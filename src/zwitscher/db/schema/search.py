"""Full-text search over statuses, the one part of the schema that differs by engine."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from zwitscher.db.schema.base import (
    metadata,
    reference,
)

# Full-text search over statuses: the one part of the schema that differs by engine (both
# kept by `db/repos/search.py`, both written in the transaction that writes the status).
# PostgreSQL: one tsvector per status, in this table, behind a GIN index.
status_search = sa.Table(
    "status_search", metadata,
    reference("status_id", "statuses"),
    sa.Column("document", postgresql.TSVECTOR, nullable=False),
    sa.PrimaryKeyConstraint("status_id"),
    sa.Index("ix_status_search_document", "document", postgresql_using="gin"),
    info={"only_on": "postgresql"},
)
# SQLite: an FTS5 table of the same name (rowid = status id), which SQLAlchemy cannot
# describe; the migration creates it from this statement.
SQLITE_STATUS_SEARCH = ("CREATE VIRTUAL TABLE status_search USING fts5("
                        "document, tokenize = 'unicode61 remove_diacritics 2')")
# FTS5 keeps its index in shadow tables named after the virtual table.
SQLITE_STATUS_SEARCH_TABLES = frozenset(
    ["status_search"] + [f"status_search_{part}"
                         for part in ("data", "idx", "content", "docsize", "config")])


def schema_comparison(dialect_name: str) -> dict:
    """Alembic's `include_name` and `include_object` for comparing this module with a database
    on `dialect_name`: tables of another engine, and the FTS5 tables SQLAlchemy cannot
    describe, are left out (tests/test_migrations.py checks those on its own)."""

    def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
        return not (dialect_name == "sqlite" and type_ == "table"
                    and name in SQLITE_STATUS_SEARCH_TABLES)

    def include_object(obj, name, type_, reflected, compare_to) -> bool:
        table = obj if type_ == "table" else getattr(obj, "table", None)
        only_on = table.info.get("only_on") if isinstance(table, sa.Table) else None
        return only_on in (None, dialect_name)

    return {"include_name": include_name, "include_object": include_object}
