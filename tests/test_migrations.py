"""An operator who runs `zwitscher migrate` gets exactly the schema the code expects."""

import asyncio
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from zwitscher.db.migrate import upgrade
from zwitscher.db.pagination import Page
from zwitscher.db.repos.search import SearchRepo
from zwitscher.db.schema import (
    SQLITE_STATUS_SEARCH,
    accounts,
    media_attachments,
    metadata,
    polls,
    schema_comparison,
    statuses,
)
from zwitscher.domain.search import parse_status_query
from zwitscher.settings import Settings

from conftest import TEST_DATABASE_URL
from support import create_postgres_database, drop_postgres_database


def _settings(tmp_path) -> Settings:
    database_url = (create_postgres_database(TEST_DATABASE_URL, migrated=False)
                    if TEST_DATABASE_URL else None)
    return Settings(data_dir=tmp_path, database_url=database_url)


def _dropping(settings: Settings, run) -> None:
    try:
        asyncio.run(run())
    finally:
        if settings.database_url:
            drop_postgres_database(settings.database_url)


def test_migrations_build_the_schema_the_code_uses(tmp_path):
    settings = _settings(tmp_path)

    async def check():
        await upgrade(settings)
        await upgrade(settings)  # a second run (another process starting) changes nothing
        engine = create_async_engine(settings.effective_database_url)
        async with engine.connect() as conn:
            diff = await conn.run_sync(lambda sync: compare_metadata(MigrationContext.configure(
                sync, opts=schema_comparison(sync.dialect.name)), metadata))
            # The comparison leaves SQLite's FTS5 table out: SQLAlchemy cannot describe it.
            fts5 = await conn.scalar(sa.text(
                "SELECT sql FROM sqlite_master WHERE name = 'status_search'")
            ) if conn.dialect.name == "sqlite" else SQLITE_STATUS_SEARCH
        await engine.dispose()
        assert diff == []
        assert fts5 == SQLITE_STATUS_SEARCH

    _dropping(settings, check)


def test_statuses_written_before_search_existed_are_found_after_the_upgrade(tmp_path):
    settings = _settings(tmp_path)

    async def check():
        await upgrade(settings, "0006")
        engine = create_async_engine(settings.effective_database_url)
        now = datetime.now(UTC)
        async with engine.begin() as conn:
            await conn.execute(accounts.insert().values(
                id=1, username="old", username_lower="old", fields=[], created_at=now,
                updated_at=now))
            await conn.execute(statuses.insert().values(
                account_id=1, visibility="public", created_at=now), [
                dict(id=10, text="Grüße aus der Straße", spoiler_text="", language="de"),
                dict(id=11, text="nothing to see", spoiler_text="Straße", language=None),
                dict(id=12, text="Die Häuser am Hafen", spoiler_text="", language="en"),
            ])
        await upgrade(settings)
        async with engine.connect() as conn:
            search = SearchRepo(conn)

            async def found(q: str) -> list[int]:
                rows = await search.statuses(parse_status_query(q), viewer_id=1, page=Page())
                return [row.id for row in rows]

            assert await found("strasse") == [11, 10]
            assert await found("hauser") == [12]
            assert await found('"grusse aus"') == [10]
        await engine.dispose()

    _dropping(settings, check)


def test_polls_and_image_descriptions_written_before_0016_are_found_after_the_upgrade(tmp_path):
    settings = _settings(tmp_path)

    async def check():
        await upgrade(settings, "0014")
        engine = create_async_engine(settings.effective_database_url)
        now = datetime.now(UTC)
        async with engine.begin() as conn:
            await conn.execute(accounts.insert().values(
                id=1, username="old", username_lower="old", fields=[], created_at=now,
                updated_at=now))
            await conn.execute(statuses.insert().values(
                account_id=1, visibility="public", created_at=now, spoiler_text="",
                language="de"), [dict(id=20, text="Umfrage"), dict(id=21, text="Foto"),
                                 dict(id=22, text="Nur Text")])
            await conn.execute(polls.insert().values(
                id=30, status_id=20, options=["Grüner Tee", "Kaffee"], expires_at=now,
                created_at=now))
            await conn.execute(media_attachments.insert().values(
                id=40, account_id=1, status_id=21, content_type="image/png", file_key="k",
                file_url="/media/k", file_size=1, width=1, height=1, preview_key="p",
                preview_url="/media/p", preview_width=1, preview_height=1,
                description="Ein Leuchtturm", created_at=now))
            # The columns of 0014 (a status as the code reads it now has more).
            old_columns = [statuses.c[name] for name in (
                "id", "text", "spoiler_text", "language", "reblog_of_id")]
            await SearchRepo(conn).index_status((await conn.execute(
                sa.select(*old_columns).where(statuses.c.id == 22))).one())
        await upgrade(settings)
        async with engine.connect() as conn:
            search = SearchRepo(conn)

            async def found(q: str) -> list[int]:
                rows = await search.statuses(parse_status_query(q), viewer_id=1, page=Page())
                return [row.id for row in rows]

            assert await found("kaffee") == [20]
            assert await found("leuchtturm") == [21]
            assert await found("umfrage") == [20]
            assert await found("text") == [22]
        await engine.dispose()

    _dropping(settings, check)


def test_replies_written_before_0029_know_the_thread_they_belong_to(tmp_path):
    """Muting a conversation mutes its root: every reply written before the column existed
    gets the root of its thread, however deep, and a reply whose parent is gone its parent."""
    settings = _settings(tmp_path)

    async def check():
        await upgrade(settings, "0028")
        engine = create_async_engine(settings.effective_database_url)
        now = datetime.now(UTC)
        old_columns = ("id", "account_id", "visibility", "created_at", "text", "spoiler_text",
                       "in_reply_to_id")
        async with engine.begin() as conn:
            await conn.execute(accounts.insert().values(
                id=1, username="old", username_lower="old", fields=[], created_at=now,
                updated_at=now))
            rows = [(10, None), (11, 10), (12, 11), (13, 12), (20, None), (21, 20), (31, 30)]
            before = sa.table("statuses", *(sa.column(name, statuses.c[name].type)
                                            for name in old_columns))
            await conn.execute(sa.insert(before),
                               [dict(id=i, account_id=1, visibility="public", created_at=now,
                                     text="", spoiler_text="", in_reply_to_id=parent)
                                for i, parent in rows])
        await upgrade(settings)
        async with engine.connect() as conn:
            roots = dict((await conn.execute(
                sa.select(statuses.c.id, statuses.c.thread_root_id))).all())
        await engine.dispose()
        assert roots == {10: None, 11: 10, 12: 10, 13: 10, 20: None, 21: 20, 31: 30}

    _dropping(settings, check)
