"""Apply Alembic migrations programmatically (`zwitscher migrate`, and `serve` at start)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

from zwitscher.settings import Settings

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(settings: Settings) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = settings.effective_database_url
    if settings.is_sqlite:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return config


def upgrade_sync(settings: Settings, revision: str = "head") -> None:
    command.upgrade(alembic_config(settings), revision)


async def upgrade(settings: Settings, revision: str = "head") -> None:
    # Alembic's env runs its own event loop; give it a thread of its own.
    await asyncio.to_thread(upgrade_sync, settings, revision)
