"""Read notifications as groups (API v2): a page of groups, one group, its accounts, and
the number of unread groups.

A page holds up to `limit` groups: notifications are read newest first (oldest first from a
`min_id`) in batches until a further one would open one group too many. Each group's totals
and sample accounts cover the whole group, not only the part on this page, as Mastodon's do.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import sqlalchemy as sa

from zwitscher.db.pagination import Page
from zwitscher.db.repos.notifications import NotificationFilter
from zwitscher.db.schema import notifications
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound
from zwitscher.domain.notification_groups import (
    SAMPLE_ACCOUNTS,
    PageGroup,
    collect,
    ungrouped_id,
)

BATCH = 200


@dataclass
class GroupedPage:
    groups: list[PageGroup] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    most_recent: dict[str, int] = field(default_factory=dict)
    samples: dict[str, list[int]] = field(default_factory=dict)

    @property
    def bounds(self) -> list[int]:
        """Newest and oldest notification id read, for the page's `Link` header."""
        if not self.groups:
            return []
        return [max(g.page_max_id for g in self.groups), min(g.page_min_id for g in self.groups)]


async def grouped_notifications(uow: UnitOfWork, *, viewer_id: int, page: Page,
                                what: NotificationFilter, grouped_types: frozenset[str]
                                ) -> GroupedPage:
    groups: dict[str, PageGroup] = {}
    cursor = replace(page, limit=min(max(page.limit * 3, 40), BATCH), offset=0)
    forwards = page.min_id is not None
    while True:
        rows = await uow.notifications.page(viewer_id, cursor, what)
        in_reading_order = list(reversed(rows)) if forwards else rows
        if not collect(in_reading_order, grouped_types, page.limit, groups) or \
                len(rows) < cursor.limit:
            break
        cursor = (replace(cursor, min_id=rows[0].id) if forwards
                  else replace(cursor, max_id=rows[-1].id))
    result = GroupedPage(sorted(groups.values(), key=lambda g: g.page_max_id, reverse=True))
    await _complete(uow, viewer_id, result, what)
    return result


async def notification_group(uow: UnitOfWork, *, viewer_id: int, key: str) -> GroupedPage:
    """One group, by key; NotFound if the viewer has none such (or may not see it)."""
    single = ungrouped_id(key)
    if single is not None:
        row = await uow.notifications.get(viewer_id, single)
        rows = [row] if row is not None else []
    else:
        rows = await uow.notifications.in_group(viewer_id, key, Page(limit=1))
    if not rows:
        raise NotFound()
    result = GroupedPage([PageGroup(key, rows[0], rows[0].id, rows[0].id, rows)])
    await _complete(uow, viewer_id, result, NotificationFilter())
    return result


async def group_account_ids(uow: UnitOfWork, *, viewer_id: int, key: str, page: Page
                            ) -> tuple[list[int], list[int]]:
    """(the group's senders, newest first and each once; the notification ids read)."""
    single = ungrouped_id(key)
    if single is not None:
        row = await uow.notifications.get(viewer_id, single)
        rows = [row] if row is not None else []
    else:
        rows = await uow.notifications.in_group(viewer_id, key, page)
    if not rows and page.max_id is None and page.min_id is None and page.since_id is None:
        raise NotFound()
    return list(dict.fromkeys(row.from_account_id for row in rows)), [row.id for row in rows]


async def dismiss_group(uow: UnitOfWork, *, viewer_id: int, key: str) -> None:
    single = ungrouped_id(key)
    dismissed = (await uow.notifications.dismiss(viewer_id, single) if single is not None
                 else await uow.notifications.dismiss_group(viewer_id, key))
    if not dismissed:
        raise NotFound()


async def count_unread(uow: UnitOfWork, *, viewer_id: int, what: NotificationFilter,
                             grouped_types: frozenset[str] | None, limit: int) -> int:
    """Notifications (or, with `grouped_types`, groups) newer than the notifications marker."""
    marker = await uow.markers.of(viewer_id, ["notifications"])
    after_id = marker[0].last_read_id if marker else None
    key = None
    if grouped_types is not None:
        # Ungrouped ones count by their id, which never looks like a group key.
        key = sa.case((sa.and_(notifications.c.group_key.is_not(None),
                               notifications.c.type.in_(sorted(grouped_types))),
                       notifications.c.group_key),
                      else_=sa.cast(notifications.c.id, sa.String))
    return await uow.notifications.count_newer(viewer_id, after_id, what, limit=limit,
                                               group_key=key)


async def _complete(uow: UnitOfWork, viewer_id: int, result: GroupedPage,
                    what: NotificationFilter) -> None:
    """Totals and samples of the whole groups; a group of one is its own."""
    keys = [g.key for g in result.groups if ungrouped_id(g.key) is None]
    stats = await uow.notifications.group_stats(viewer_id, keys, what)
    senders = await uow.notifications.group_senders(viewer_id, keys, what,
                                                    per_group=SAMPLE_ACCOUNTS)
    for group in result.groups:
        row = stats.get(group.key)
        result.counts[group.key] = row.notifications_count if row else len(group.rows)
        result.most_recent[group.key] = row.most_recent_id if row else group.latest.id
        result.samples[group.key] = senders.get(group.key) or list(dict.fromkeys(
            r.from_account_id for r in sorted(group.rows, key=lambda r: r.id, reverse=True)))
