from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


class Repo:
    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    def among(self, column: sa.ColumnElement, ids: Collection[int]) -> sa.ColumnElement[bool]:
        """`column IN (ids)` as one parameter (`in_ids`)."""
        return in_ids(column, self.conn.dialect.name, ids)

    def each(self, name: str, values: Collection[int | str],
             type_: type[sa.types.TypeEngine]) -> sa.TableValuedAlias:
        """The values as a table with one column, `value`, bound as one parameter (SQLite's
        `json_each`, PostgreSQL's `unnest`): a statement over many rows binds them once,
        instead of once per row."""
        if self.conn.dialect.name == "sqlite":
            param = sa.bindparam(name, orjson.dumps(list(values)).decode(), type_=sa.String())
            return sa.func.json_each(param).table_valued("value").alias(name)
        param = sa.bindparam(name, list(values), type_=postgresql.ARRAY(type_))
        return sa.func.unnest(param).table_valued("value").render_derived(name=name)

    async def one(self, query: sa.Executable) -> sa.Row | None:
        return (await self.conn.execute(query)).first()

    async def all(self, query: sa.Executable) -> list[sa.Row]:
        return list((await self.conn.execute(query)).all())

    async def all_with(self, query: sa.Executable, params: dict) -> list[sa.Row]:
        """For statements built once with placeholders."""
        return list((await self.conn.execute(query, params)).all())

    async def scalar(self, query: sa.Executable) -> Any:
        return (await self.conn.execute(query)).scalar()

    async def scalars(self, query: sa.Executable, params: dict | None = None) -> list[Any]:
        return list((await self.conn.execute(query, params)).scalars().all())

    async def insert_ignoring_conflicts(self, table: sa.Table, rows: Sequence[dict]) -> int:
        """Insert rows, skipping those that hit a unique constraint; returns rows inserted."""
        if not rows:
            return 0
        dialect = sqlite if self.conn.dialect.name == "sqlite" else postgresql
        result = await self.conn.execute(dialect.insert(table).on_conflict_do_nothing(), rows)
        return result.rowcount

    async def exists(self, query: sa.Select) -> bool:
        return bool(await self.scalar(sa.select(sa.exists(query))))


def in_ids(column: sa.ColumnElement, dialect: str,
           ids: Collection[int] | None = None) -> sa.ColumnElement[bool]:
    """`column IN (the ids)` with one parameter: `ids` bound now, or (None) a placeholder
    named "ids" to bind to `bound_ids` later. The statement's text is the same however many
    ids there are, so each connection prepares it once (an `IN` list is a new statement for
    every length, and the drivers cache prepared statements by their text)."""
    type_ = sa.String() if dialect == "sqlite" else postgresql.ARRAY(sa.BigInteger)
    param = sa.bindparam("ids", type_=type_) if ids is None else sa.bindparam(
        "ids", bound_ids(dialect, ids), type_=type_, unique=True)
    if dialect == "sqlite":
        return column.in_(sa.select(sa.func.json_each(param).table_valued("value").c.value))
    return column == sa.any_(param)


def bound_ids(dialect: str, ids: Collection[int]) -> str | list[int]:
    """The ids as `in_ids` binds them: JSON text for SQLite's `json_each`, an array else."""
    return orjson.dumps(list(ids)).decode() if dialect == "sqlite" else list(ids)
