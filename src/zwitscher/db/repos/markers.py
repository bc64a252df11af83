"""Reading positions (Mastodon's markers): one row per person and timeline."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import markers
from zwitscher.domain.clock import utcnow


class MarkersRepo(Repo):
    async def of(self, account_id: int, timelines: list[str]) -> list[sa.Row]:
        return await self.all(markers.select().where(markers.c.account_id == account_id,
                                                     markers.c.timeline.in_(timelines)))

    async def save(self, account_id: int, timeline: str, last_read_id: int) -> None:
        """Set the position, counting versions (clients detect concurrent updates by them)."""
        updated = await self.conn.execute(
            markers.update().where(markers.c.account_id == account_id,
                                   markers.c.timeline == timeline)
            .values(last_read_id=last_read_id, version=markers.c.version + 1,
                    updated_at=utcnow()))
        if updated.rowcount == 0:
            await self.insert_ignoring_conflicts(markers, [dict(
                account_id=account_id, timeline=timeline, last_read_id=last_read_id,
                version=0, updated_at=utcnow())])
