"""Media attachments: uploads, the statuses they belong to, and those nobody attached."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import media_attachments
from zwitscher.domain.ids import new_id


class MediaRepo(Repo):
    async def insert(self, **values) -> int:
        media_id = new_id()
        await self.conn.execute(media_attachments.insert().values(id=media_id, **values))
        return media_id

    async def get(self, media_id: int) -> sa.Row | None:
        return await self.one(media_attachments.select().where(
            media_attachments.c.id == media_id))

    async def get_many(self, ids: list[int]) -> dict[int, sa.Row]:
        if not ids:
            return {}
        rows = await self.all(media_attachments.select().where(
            media_attachments.c.id.in_(ids)))
        return {row.id: row for row in rows}

    async def update(self, media_id: int, **values) -> None:
        await self.conn.execute(media_attachments.update()
                                .where(media_attachments.c.id == media_id).values(**values))

    async def delete_many(self, ids: list[int]) -> None:
        if ids:
            await self.conn.execute(media_attachments.delete().where(
                media_attachments.c.id.in_(ids)))

    async def attach(self, status_id: int, ordered_ids: list[int]) -> None:
        for position, media_id in enumerate(ordered_ids):
            await self.update(media_id, status_id=status_id, position=position)

    async def of_status(self, status_id: int) -> list[sa.Row]:
        return await self.all(media_attachments.select()
                              .where(media_attachments.c.status_id == status_id)
                              .order_by(media_attachments.c.position))

    async def of_statuses(self, status_ids: list[int]) -> dict[int, list[sa.Row]]:
        """Attachments of a page of statuses in one round trip, each list in the author's
        order."""
        result: dict[int, list[sa.Row]] = defaultdict(list)
        if status_ids:
            rows = await self.all(media_attachments.select()
                                  .where(media_attachments.c.status_id.in_(status_ids))
                                  .order_by(media_attachments.c.status_id,
                                            media_attachments.c.position))
            for row in rows:
                result[row.status_id].append(row)
        return result

    async def unattached_before(self, moment: datetime, limit: int) -> list[sa.Row]:
        return await self.all(media_attachments.select().where(
            media_attachments.c.status_id.is_(None), media_attachments.c.created_at < moment)
            .order_by(media_attachments.c.id).limit(limit))

