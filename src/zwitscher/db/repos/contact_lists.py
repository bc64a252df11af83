"""External contact lists (relatives, authorities) and their contacts."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import contact_lists, contacts
from zwitscher.domain.ids import new_id

_l, _c = contact_lists, contacts


class ContactListsRepo(Repo):
    async def add(self, **values) -> int:
        list_id = new_id()
        await self.conn.execute(_l.insert().values(id=list_id, **values))
        return list_id

    async def get(self, list_id: int) -> sa.Row | None:
        return await self.one(_l.select().where(_l.c.id == list_id))

    async def get_many(self, ids: Sequence[int]) -> dict[int, sa.Row]:
        rows = await self.all(_l.select().where(self.among(_l.c.id, ids))) if ids else []
        return {row.id: row for row in rows}

    async def by_name(self, name: str) -> sa.Row | None:
        return await self.one(_l.select().where(_l.c.name == name))

    async def update(self, list_id: int, **values) -> None:
        await self.conn.execute(_l.update().where(_l.c.id == list_id).values(**values))

    async def delete(self, list_id: int) -> None:
        await self.conn.execute(_l.delete().where(_l.c.id == list_id))

    async def every(self) -> list[sa.Row]:
        """Every list with how many contacts it has."""
        counted = (sa.select(_c.c.list_id, sa.func.count().label("size"))
                   .group_by(_c.c.list_id).subquery())
        return await self.all(
            sa.select(_l, sa.func.coalesce(counted.c.size, 0).label("size"))
            .outerjoin(counted, counted.c.list_id == _l.c.id).order_by(_l.c.name))

    async def add_contacts(self, list_id: int, rows: Sequence[dict]) -> list[int]:
        ids = [new_id() for _ in rows]
        if rows:
            await self.conn.execute(_c.insert(), [
                {"email": None, "phone": None, **row, "id": contact_id, "list_id": list_id}
                for contact_id, row in zip(ids, rows, strict=True)])
        return ids

    async def contact(self, contact_id: int) -> sa.Row | None:
        return await self.one(_c.select().where(_c.c.id == contact_id))

    async def delete_contact(self, list_id: int, contact_id: int) -> bool:
        result = await self.conn.execute(_c.delete().where(_c.c.id == contact_id,
                                                           _c.c.list_id == list_id))
        return result.rowcount > 0

    async def replace_contacts(self, list_id: int, rows: Sequence[dict]) -> list[int]:
        await self.conn.execute(_c.delete().where(_c.c.list_id == list_id))
        return await self.add_contacts(list_id, rows)

    async def contacts_of(self, list_ids: Sequence[int]) -> list[sa.Row]:
        if not list_ids:
            return []
        return await self.all(_c.select().where(self.among(_c.c.list_id, list_ids))
                              .order_by(_c.c.name, _c.c.id))
