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
                                  .where(self.among(media_attachments.c.status_id, status_ids))
                                  .order_by(media_attachments.c.status_id,
                                            media_attachments.c.position))
            for row in rows:
                result[row.status_id].append(row)
        return result

    async def unattached_before(self, moment: datetime, limit: int) -> list[sa.Row]:
        """Uploads neither posted nor waiting to be (see `reserve`), made before `moment`."""
        return await self.all(media_attachments.select().where(
            media_attachments.c.status_id.is_(None),
            media_attachments.c.scheduled_status_id.is_(None),
            media_attachments.c.brand_draft_id.is_(None),
            media_attachments.c.press_release_id.is_(None),
            media_attachments.c.event_held_post_id.is_(None),
            media_attachments.c.created_at < moment)
            .order_by(media_attachments.c.id).limit(limit))

    # Uploads waiting with a scheduled status, a brand draft, a press release or a held post
    # from a live event: reserving takes them (in the order given) from `check_media`'s pool
    # of free uploads, releasing gives them back.

    async def reserve_for_scheduled(self, scheduled_id: int, ordered_ids: list[int]) -> None:
        await self._reserve(media_attachments.c.scheduled_status_id, scheduled_id, ordered_ids)

    async def reserve_for_draft(self, draft_id: int, ordered_ids: list[int]) -> None:
        await self._reserve(media_attachments.c.brand_draft_id, draft_id, ordered_ids)

    async def reserve_for_release(self, release_id: int, ordered_ids: list[int]) -> None:
        await self._reserve(media_attachments.c.press_release_id, release_id, ordered_ids)

    async def reserve_for_held_post(self, held_id: int, ordered_ids: list[int]) -> None:
        await self._reserve(media_attachments.c.event_held_post_id, held_id, ordered_ids)

    async def release_held_post(self, held_id: int) -> None:
        await self._release(media_attachments.c.event_held_post_id, held_id)

    async def release_press_release(self, release_id: int) -> None:
        await self._release(media_attachments.c.press_release_id, release_id)

    async def of_releases(self, release_ids: list[int]) -> dict[int, list[sa.Row]]:
        return await self._waiting(media_attachments.c.press_release_id, release_ids)

    async def release_scheduled(self, scheduled_id: int) -> None:
        await self._release(media_attachments.c.scheduled_status_id, scheduled_id)

    async def release_draft(self, draft_id: int) -> None:
        await self._release(media_attachments.c.brand_draft_id, draft_id)

    async def of_scheduled(self, scheduled_ids: list[int]) -> dict[int, list[sa.Row]]:
        """Uploads waiting with these scheduled statuses, each list in the author's order."""
        return await self._waiting(media_attachments.c.scheduled_status_id, scheduled_ids)

    async def of_drafts(self, draft_ids: list[int]) -> dict[int, list[sa.Row]]:
        return await self._waiting(media_attachments.c.brand_draft_id, draft_ids)

    async def _reserve(self, column: sa.Column, holder_id: int, ordered_ids: list[int]) -> None:
        for position, media_id in enumerate(ordered_ids):
            await self.update(media_id, position=position, **{column.name: holder_id})

    async def _release(self, column: sa.Column, holder_id: int) -> None:
        await self.conn.execute(media_attachments.update().where(column == holder_id)
                                .values({column.name: None}))

    async def _waiting(self, column: sa.Column, holder_ids: list[int]
                       ) -> dict[int, list[sa.Row]]:
        result: dict[int, list[sa.Row]] = defaultdict(list)
        if holder_ids:
            rows = await self.all(media_attachments.select().where(column.in_(holder_ids))
                                  .order_by(media_attachments.c.position))
            for row in rows:
                result[getattr(row, column.name)].append(row)
        return result
