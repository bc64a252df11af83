"""What a backup says about the database it copied, and what a restore asks of its target.

The counts and the schema revision go into a backup's manifest (`zwitscher.backup`), read in
the same snapshot the copy is made from, so they describe exactly what the archive holds.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import accounts, follows, media_attachments, statuses, users

# Rows counted in a manifest: what an operator checks a restored instance by.
COUNTED = {"accounts": accounts, "users": users, "statuses": statuses, "follows": follows,
           "media_attachments": media_attachments}
# Alembic's own table: the revision the database's schema is at.
_alembic_version = sa.table("alembic_version", sa.column("version_num", sa.String))


class BackupFactsRepo(Repo):
    async def schema_revision(self) -> str | None:
        """None for a database that Zwitscher never migrated."""
        if not await self._has_table("alembic_version"):
            return None
        return await self.scalar(sa.select(_alembic_version.c.version_num))

    async def counts(self) -> dict[str, int]:
        return {name: await self.scalar(sa.select(sa.func.count()).select_from(table))
                for name, table in COUNTED.items()}

    async def table_names(self) -> list[str]:
        """The tables of the default schema (`public` on PostgreSQL): none in a fresh database."""
        return await self.conn.run_sync(lambda conn: sa.inspect(conn).get_table_names())

    async def export_snapshot(self) -> str:
        """PostgreSQL: name this transaction's snapshot, so that `pg_dump --snapshot` copies
        exactly what it sees (the transaction must be REPEATABLE READ and stay open)."""
        return await self.scalar(sa.text("SELECT pg_export_snapshot()"))

    async def server_major_version(self) -> int:
        """PostgreSQL's major version (15 for 15.4)."""
        return int(await self.scalar(sa.text("SHOW server_version_num"))) // 10_000

    async def _has_table(self, name: str) -> bool:
        return name in await self.table_names()
