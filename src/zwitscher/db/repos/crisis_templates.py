"""Prepared crisis templates."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import crisis_templates
from zwitscher.domain.ids import new_id

_t = crisis_templates


class CrisisTemplatesRepo(Repo):
    async def add(self, **values) -> int:
        template_id = new_id()
        await self.conn.execute(_t.insert().values(id=template_id, **values))
        return template_id

    async def get(self, template_id: int) -> sa.Row | None:
        return await self.one(_t.select().where(_t.c.id == template_id))

    async def update(self, template_id: int, **values) -> None:
        await self.conn.execute(_t.update().where(_t.c.id == template_id).values(**values))

    async def delete(self, template_id: int) -> None:
        await self.conn.execute(_t.delete().where(_t.c.id == template_id))

    async def every(self) -> list[sa.Row]:
        return await self.all(_t.select().order_by(_t.c.name, _t.c.id))
