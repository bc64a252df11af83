"""Notifications: stored per recipient, read through one visibility rule (`_visible`).

A notification is shown while its status (if any) is visible to the recipient, its sender has
not deleted their account (`from_deleted_account`, for every type), and the sender is not
hidden from them (blocked, on a blocked domain, muted with notifications);
`admin.report` notifications only while the recipient still moderates (the organisation, or a
group the reported person is in), and regardless of whom
they block or mute (a report about someone is not personal). Filtered ones (held back by the
recipient's policy) only when asked for.
"""

from __future__ import annotations

import functools

import sqlalchemy as sa

from zwitscher.db.pagination import (
    Page,
    apply_page,
    newest_first,
    page_params,
    page_shape,
    with_placeholders,
)
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import notifications, reports, statuses, users
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id
from zwitscher.domain.roles import MODERATORS
from zwitscher.policies.group_moderation import moderated_in_groups
from zwitscher.policies.visibility import (
    VIEWER,
    from_deleted_account,
    notification_senders_hidden,
    viewer_params,
    visible_to,
)

REPORT = "admin.report"
_moderator = users.alias("notification_moderator")
_report = reports.alias("notification_report")


class NotificationFilter:
    """What a listing asks for besides the page: types, a sender, filtered ones too."""

    def __init__(self, *, types: list[str] = (), exclude_types: list[str] = (),
                 from_account_id: int | None = None, include_filtered: bool = False) -> None:
        self.types = list(types)
        self.exclude_types = list(exclude_types)
        self.from_account_id = from_account_id
        self.include_filtered = include_filtered

    def shape(self) -> tuple[bool, bool, bool, bool]:
        """What a statement built once for many listings depends on (not the values)."""
        return (bool(self.types), bool(self.exclude_types), self.from_account_id is not None,
                self.include_filtered)

    def params(self) -> dict:
        return {"types": self.types, "exclude_types": self.exclude_types,
                "from_account_id": self.from_account_id}

    @staticmethod
    def apply(query: sa.Select, shape: tuple[bool, bool, bool, bool]) -> sa.Select:
        """The shape's conditions, as placeholders for `params`."""
        types, exclude_types, from_account, include_filtered = shape
        if types:
            query = query.where(notifications.c.type.in_(sa.bindparam("types", expanding=True)))
        if exclude_types:
            query = query.where(notifications.c.type.not_in(
                sa.bindparam("exclude_types", expanding=True)))
        if from_account:
            query = query.where(notifications.c.from_account_id
                                == sa.bindparam("from_account_id", type_=sa.BigInteger))
        if not include_filtered:
            query = query.where(notifications.c.filtered.is_(False))
        return query


class NotificationsRepo(Repo):
    async def add(self, *, account_id: int, from_account_id: int, type: str,
                  status_id: int | None, group_key: str | None = None, filtered: bool = False,
                  report_id: int | None = None) -> int:
        notification_id = new_id()
        await self.conn.execute(notifications.insert().values(
            id=notification_id, account_id=account_id, from_account_id=from_account_id,
            type=type, status_id=status_id, created_at=utcnow(), group_key=group_key,
            filtered=filtered, report_id=report_id))
        return notification_id

    async def page(self, viewer_id: int, page: Page, what: NotificationFilter) -> list[sa.Row]:
        query = _page(page_shape(page), what.shape())
        params = viewer_params(viewer_id) | page_params(page) | what.params()
        return newest_first(await self.all_with(query, params), page)

    async def count_newer(self, viewer_id: int, after_id: int | None, what: NotificationFilter,
                          *, limit: int, group_key: sa.ColumnElement | None = None) -> int:
        """How many notifications (or, with `group_key`, distinct groups) are newer than
        `after_id`, counting no further than `limit`."""
        query = what.apply(_visible([notifications.c.id] if group_key is None else [group_key]),
                           what.shape())
        if after_id is not None:
            query = query.where(notifications.c.id > after_id)
        if group_key is not None:
            query = query.distinct()
        counted = query.limit(limit).subquery()
        params = viewer_params(viewer_id) | what.params()
        return (await self.conn.execute(sa.select(sa.func.count()).select_from(counted),
                                        params)).scalar()

    async def get(self, viewer_id: int, notification_id: int) -> sa.Row | None:
        return (await self.conn.execute(_one(), viewer_params(viewer_id) | {
            "notification_id": notification_id})).first()

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

    # Groups (see domain/notification_groups.py).

    async def newest_group_key(self, account_id: int, keys: list[str]) -> str | None:
        """Of these candidate keys, the one of the newest group the recipient has."""
        return await self.scalar(
            sa.select(notifications.c.group_key)
            .where(notifications.c.account_id == account_id,
                   notifications.c.group_key.in_(keys))
            .order_by(notifications.c.id.desc()).limit(1))

    async def group_stats(self, viewer_id: int, keys: list[str], what: NotificationFilter
                          ) -> dict[str, sa.Row]:
        """Per group key: how many notifications, the newest id, and when it came."""
        if not keys:
            return {}
        stats = what.apply(_visible([
            notifications.c.group_key, sa.func.count().label("notifications_count"),
            sa.func.max(notifications.c.id).label("most_recent_id")])
            .where(notifications.c.group_key.in_(keys)), what.shape()).group_by(
            notifications.c.group_key)
        rows = await self.all_with(stats, viewer_params(viewer_id) | what.params())
        return {row.group_key: row for row in rows}

    async def group_senders(self, viewer_id: int, keys: list[str], what: NotificationFilter,
                            *, per_group: int) -> dict[str, list[int]]:
        """Per group key, its newest senders (each once), newest first."""
        if not keys:
            return {}
        ranked = what.apply(_visible([
            notifications.c.group_key, notifications.c.from_account_id, notifications.c.id,
            sa.func.row_number().over(partition_by=notifications.c.group_key,
                                      order_by=notifications.c.id.desc()).label("rank")])
            .where(notifications.c.group_key.in_(keys)), what.shape()).subquery()
        # Someone may favourite, unfavourite and favourite again: read a few more than needed.
        rows = await self.all_with(sa.select(ranked.c.group_key, ranked.c.from_account_id)
                                   .where(ranked.c.rank <= per_group * 3)
                                   .order_by(ranked.c.group_key, ranked.c.id.desc()),
                                   viewer_params(viewer_id) | what.params())
        senders: dict[str, list[int]] = {}
        for row in rows:
            found = senders.setdefault(row.group_key, [])
            if row.from_account_id not in found and len(found) < per_group:
                found.append(row.from_account_id)
        return senders

    async def in_group(self, viewer_id: int, key: str, page: Page) -> list[sa.Row]:
        query = _visible().where(notifications.c.group_key == key,
                                 notifications.c.filtered.is_(False))
        return newest_first(await self.all_with(apply_page(query, notifications.c.id, page),
                                                viewer_params(viewer_id)), page)

    async def dismiss_group(self, viewer_id: int, key: str) -> bool:
        result = await self.conn.execute(notifications.delete().where(
            notifications.c.account_id == viewer_id, notifications.c.group_key == key))
        return result.rowcount > 0


def _visible(columns=(notifications,)) -> sa.Select:
    """The viewer's notifications (`VIEWER`) that they may still see: about a status they
    may see (or none), from someone who has not deleted their account and whom they have not
    blocked or muted, a report only while they moderate."""
    still_moderates = sa.or_(
        sa.exists().where(_moderator.c.account_id == VIEWER,
                          _moderator.c.role.in_(sorted(MODERATORS))),
        sa.exists().where(_report.c.id == notifications.c.report_id,
                          moderated_in_groups(VIEWER, _report.c.target_account_id)))
    return (
        sa.select(*columns)
        .select_from(notifications.outerjoin(statuses,
                                             statuses.c.id == notifications.c.status_id))
        .where(notifications.c.account_id == VIEWER,
               sa.or_(notifications.c.status_id.is_(None), visible_to(VIEWER)),
               ~from_deleted_account(notifications.c.from_account_id),
               sa.or_(sa.and_(notifications.c.type == REPORT, still_moderates),
                      sa.and_(notifications.c.type != REPORT,
                              notifications.c.from_account_id.not_in(
                                  notification_senders_hidden(VIEWER)))))
    )


# Built once per shape: the visibility rules cost more to build than to run.

@functools.lru_cache(maxsize=256)
def _page(shape: Page, what: tuple[bool, bool, bool, bool]) -> sa.Select:
    return apply_page(NotificationFilter.apply(_visible(), what), notifications.c.id,
                      with_placeholders(shape))


@functools.cache
def _one() -> sa.Select:
    return _visible().where(notifications.c.id == sa.bindparam("notification_id",
                                                               type_=sa.BigInteger))
