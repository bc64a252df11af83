"""Alembic environment: runs migrations on the async engine of either backend.

On PostgreSQL an advisory lock makes concurrent starts (several web processes) migrate once.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import pool, text
from sqlalchemy.ext.asyncio import create_async_engine

from zwitscher.db.schema import metadata, schema_comparison

MIGRATION_LOCK = 727_274_101


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True, **schema_comparison(connection.dialect.name))
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as connection:
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            await connection.execute(text(f"SELECT pg_advisory_lock({MIGRATION_LOCK})"))
            await connection.commit()
        try:
            await connection.run_sync(_run)
            await connection.commit()
        finally:
            if postgres:
                await connection.execute(text(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})"))
                await connection.commit()
    await engine.dispose()


url = context.config.attributes.get("database_url") or context.config.get_main_option(
    "sqlalchemy.url")
if context.is_offline_mode():
    context.configure(url=url, target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_async(url))
