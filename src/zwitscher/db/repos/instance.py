"""The instance's own settings an admin changed in the console (over the environment's)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import instance_settings
from zwitscher.domain.clock import utcnow


class InstanceSettingsRepo(Repo):
    async def stored(self) -> dict[str, Any]:
        rows = await self.all(sa.select(instance_settings.c.name, instance_settings.c.value))
        return {row.name: row.value for row in rows}

    async def last_change(self) -> datetime | None:
        return await self.scalar(sa.select(sa.func.max(instance_settings.c.updated_at)))

    async def put(self, values: dict[str, Any]) -> None:
        now = utcnow()
        await self.insert_ignoring_conflicts(instance_settings, [
            {"name": name, "value": value, "updated_at": now} for name, value in values.items()])
        for name, value in values.items():
            await self.conn.execute(instance_settings.update()
                                    .where(instance_settings.c.name == name)
                                    .values(value=value, updated_at=now))
