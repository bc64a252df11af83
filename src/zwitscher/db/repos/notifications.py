from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import notifications, statuses
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id
from zwitscher.policies.visibility import notification_senders_hidden, visible_to


class NotificationsRepo(Repo):
    async def add(self, *, account_id: int, from_account_id: int, type: str,
                  status_id: int | None) -> int:
        notification_id = new_id()
        await self.conn.execute(notifications.insert().values(
            id=notification_id, account_id=account_id, from_account_id=from_account_id,
            type=type, status_id=status_id, created_at=utcnow()))
        return notification_id

    def _visible(self, viewer_id: int) -> sa.Select:
        """Notifications of the viewer whose status (if any) the viewer may still see."""
        return (
            sa.select(notifications)
            .select_from(notifications.outerjoin(statuses,
                                                 statuses.c.id == notifications.c.status_id))
            .where(notifications.c.account_id == viewer_id,
                   sa.or_(notifications.c.status_id.is_(None), visible_to(viewer_id)),
                   notifications.c.from_account_id.not_in(
                       notification_senders_hidden(viewer_id)))
        )

    async def list(self, viewer_id: int, page: Page, *, types: list[str],
                   exclude_types: list[str], from_account_id: int | None) -> list[sa.Row]:
        query = self._visible(viewer_id)
        if types:
            query = query.where(notifications.c.type.in_(types))
        if exclude_types:
            query = query.where(notifications.c.type.not_in(exclude_types))
        if from_account_id is not None:
            query = query.where(notifications.c.from_account_id == from_account_id)
        return newest_first(await self.all(apply_page(query, notifications.c.id, page)), page)

    async def count(self, viewer_id: int, limit: int = 100) -> int:
        visible = self._visible(viewer_id).limit(limit).subquery()
        return await self.scalar(sa.select(sa.func.count()).select_from(visible))

    async def get(self, viewer_id: int, notification_id: int) -> sa.Row | None:
        return await self.one(self._visible(viewer_id).where(
            notifications.c.id == notification_id))

    async def dismiss(self, viewer_id: int, notification_id: int) -> bool:
        result = await self.conn.execute(notifications.delete().where(
            notifications.c.account_id == viewer_id, notifications.c.id == notification_id))
        return result.rowcount > 0

    async def clear(self, viewer_id: int) -> None:
        await self.conn.execute(notifications.delete().where(
            notifications.c.account_id == viewer_id))

    async def delete_between(self, *, account_id: int, from_account_id: int) -> None:
        await self.conn.execute(notifications.delete().where(
            notifications.c.account_id == account_id,
            notifications.c.from_account_id == from_account_id))

    async def delete_follow_request(self, *, account_id: int, from_account_id: int) -> None:
        await self.conn.execute(notifications.delete().where(
            notifications.c.account_id == account_id,
            notifications.c.from_account_id == from_account_id,
            notifications.c.type == "follow_request"))

