"""Notification policies, the requests holding filtered notifications, and accepted senders.

A request's count and last status are read from its filtered notifications (those the
recipient may still see), so they never go stale when statuses are deleted.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import (
    notification_permissions,
    notification_policies,
    notification_requests,
    notifications,
    statuses,
)
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id
from zwitscher.domain.notification_policy import DEFAULTS
from zwitscher.policies.visibility import (
    from_deleted_account,
    notification_senders_hidden,
    visible_to,
)


class NotificationFiltersRepo(Repo):
    # Policies.

    async def policy(self, account_id: int) -> dict[str, str]:
        row = await self.one(notification_policies.select().where(
            notification_policies.c.account_id == account_id))
        return {name: getattr(row, name) for name in DEFAULTS} if row else dict(DEFAULTS)

    async def save_policy(self, account_id: int, policy: dict[str, str]) -> None:
        values = dict(policy, updated_at=utcnow())
        updated = await self.conn.execute(notification_policies.update().where(
            notification_policies.c.account_id == account_id).values(**values))
        if updated.rowcount == 0:
            await self.insert_ignoring_conflicts(notification_policies,
                                                 [dict(values, account_id=account_id)])

    # Permissions.

    async def permitted(self, *, account_id: int, from_account_id: int) -> bool:
        return await self.exists(sa.select(notification_permissions.c.account_id).where(
            notification_permissions.c.account_id == account_id,
            notification_permissions.c.from_account_id == from_account_id))

    async def permit(self, *, account_id: int, from_account_ids: list[int]) -> None:
        now = utcnow()
        await self.insert_ignoring_conflicts(notification_permissions, [
            dict(account_id=account_id, from_account_id=sender, created_at=now)
            for sender in from_account_ids])

    # Requests.

    async def hold(self, *, account_id: int, from_account_id: int) -> None:
        """Make sure a request exists for this sender's filtered notifications."""
        now = utcnow()
        updated = await self.conn.execute(notification_requests.update().where(
            notification_requests.c.account_id == account_id,
            notification_requests.c.from_account_id == from_account_id).values(updated_at=now))
        if updated.rowcount == 0:
            await self.insert_ignoring_conflicts(notification_requests, [dict(
                id=new_id(), account_id=account_id, from_account_id=from_account_id,
                created_at=now, updated_at=now)])

    def _filtered(self, viewer_id: int) -> sa.Select:
        """The viewer's filtered notifications they may still see, per sender."""
        return (
            sa.select(notifications.c.from_account_id,
                      sa.func.count().label("notifications_count"),
                      sa.func.max(notifications.c.status_id).label("last_status_id"))
            .select_from(notifications.outerjoin(statuses,
                                                 statuses.c.id == notifications.c.status_id))
            .where(notifications.c.account_id == viewer_id,
                   notifications.c.filtered.is_(True),
                   sa.or_(notifications.c.status_id.is_(None), visible_to(viewer_id)),
                   ~from_deleted_account(notifications.c.from_account_id),
                   notifications.c.from_account_id.not_in(
                       notification_senders_hidden(viewer_id)))
            .group_by(notifications.c.from_account_id))

    def _requests(self, viewer_id: int) -> sa.Select:
        filtered = self._filtered(viewer_id).subquery()
        return (sa.select(notification_requests, filtered.c.notifications_count,
                          filtered.c.last_status_id)
                .join(filtered,
                      filtered.c.from_account_id == notification_requests.c.from_account_id)
                .where(notification_requests.c.account_id == viewer_id))

    async def requests(self, viewer_id: int, page: Page) -> list[sa.Row]:
        query = apply_page(self._requests(viewer_id), notification_requests.c.id, page)
        return newest_first(await self.all(query), page)

    async def request(self, viewer_id: int, request_id: int) -> sa.Row | None:
        return await self.one(self._requests(viewer_id).where(
            notification_requests.c.id == request_id))

    async def requests_by_ids(self, viewer_id: int, request_ids: list[int]) -> list[sa.Row]:
        return await self.all(notification_requests.select().where(
            notification_requests.c.account_id == viewer_id,
            notification_requests.c.id.in_(request_ids)))

    async def summary(self, viewer_id: int) -> tuple[int, int]:
        """(pending requests, filtered notifications in them)."""
        pending = self._requests(viewer_id).subquery()
        row = await self.one(sa.select(
            sa.func.count(), sa.func.coalesce(sa.func.sum(pending.c.notifications_count), 0)
        ).select_from(pending))
        return int(row[0]), int(row[1])

    async def release(self, *, account_id: int, requests: list[sa.Row]) -> None:
        """Accepted: the held notifications join the others, the requests go."""
        senders = [row.from_account_id for row in requests]
        await self.conn.execute(notifications.update().where(
            notifications.c.account_id == account_id,
            notifications.c.from_account_id.in_(senders),
            notifications.c.filtered.is_(True)).values(filtered=False))
        await self._remove(account_id, requests)

    async def discard(self, *, account_id: int, requests: list[sa.Row]) -> None:
        """Dismissed: the held notifications and the requests go."""
        await self.conn.execute(notifications.delete().where(
            notifications.c.account_id == account_id,
            notifications.c.from_account_id.in_([row.from_account_id for row in requests]),
            notifications.c.filtered.is_(True)))
        await self._remove(account_id, requests)

    async def _remove(self, account_id: int, requests: list[sa.Row]) -> None:
        await self.conn.execute(notification_requests.delete().where(
            notification_requests.c.account_id == account_id,
            notification_requests.c.id.in_([row.id for row in requests])))
