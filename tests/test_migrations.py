"""An operator who runs `zwitscher migrate` gets exactly the schema the code expects."""

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from zwitscher.db.migrate import upgrade
from zwitscher.db.schema import metadata
from zwitscher.settings import Settings

from conftest import TEST_DATABASE_URL
from support import create_postgres_database, drop_postgres_database


def test_migrations_build_the_schema_the_code_uses(tmp_path):
    database_url = create_postgres_database(TEST_DATABASE_URL) if TEST_DATABASE_URL else None
    settings = Settings(data_dir=tmp_path, database_url=database_url)

    async def differences():
        await upgrade(settings)
        await upgrade(settings)  # a second run (another process starting) changes nothing
        engine = create_async_engine(settings.effective_database_url)
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), metadata))
        await engine.dispose()
        return diff

    try:
        assert asyncio.run(differences()) == []
    finally:
        if database_url:
            drop_postgres_database(database_url)
