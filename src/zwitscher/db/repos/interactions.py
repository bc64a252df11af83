"""Favourites, bookmarks and pins: marks an account sets on a status; and muted threads
(Mastodon's muted conversations), marks an account sets on a whole thread."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import bookmarks, favourites, pins, statuses, thread_mutes
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id
from zwitscher.policies.visibility import visible_to

MARKS = {"favourite": favourites, "bookmark": bookmarks, "pin": pins}


class InteractionsRepo(Repo):
    async def add(self, mark: str, *, account_id: int, status_id: int,
                  at: datetime | None = None) -> bool:
        return bool(await self.insert_ignoring_conflicts(MARKS[mark], [dict(
            id=new_id(), account_id=account_id, status_id=status_id,
            created_at=at or utcnow())]))

    async def remove(self, mark: str, *, account_id: int, status_id: int) -> bool:
        table = MARKS[mark]
        result = await self.conn.execute(table.delete().where(
            table.c.account_id == account_id, table.c.status_id == status_id))
        return result.rowcount > 0

    async def marks_of(self, viewer_id: int, status_ids: list[int]) -> dict[str, set[int]]:
        """Which of the statuses the viewer favourited, bookmarked, pinned or reblogged, in
        one round trip (every timeline page asks this for twenty statuses)."""
        found: dict[str, set[int]] = {"favourite": set(), "bookmark": set(), "pin": set(),
                                      "reblog": set()}
        if not status_ids:
            return found
        marked = [sa.select(sa.literal(mark).label("mark"), table.c.status_id)
                  .where(table.c.account_id == viewer_id, table.c.status_id.in_(status_ids))
                  for mark, table in MARKS.items()]
        reblogged = sa.select(sa.literal("reblog").label("mark"),
                              statuses.c.reblog_of_id.label("status_id")).where(
            statuses.c.account_id == viewer_id, statuses.c.reblog_of_id.in_(status_ids))
        for row in await self.all(sa.union_all(*marked, reblogged)):
            found[row.mark].add(row.status_id)
        return found

    async def count(self, mark: str, account_id: int) -> int:
        table = MARKS[mark]
        return await self.scalar(sa.select(sa.func.count()).where(table.c.account_id == account_id))

    async def marking_accounts(self, mark: str, status_id: int, page: Page
                               ) -> list[tuple[int, int]]:
        """(mark id, account id) of accounts that set the mark, newest first."""
        table = MARKS[mark]
        query = sa.select(table.c.id, table.c.account_id).where(table.c.status_id == status_id)
        rows = newest_first(await self.all(apply_page(query, table.c.id, page)), page)
        return [(row.id, row.account_id) for row in rows]

    async def marked_statuses(self, mark: str, viewer_id: int, page: Page
                              ) -> list[tuple[int, sa.Row]]:
        """(mark id, status) that the viewer marked and may still see, newest mark first."""
        table = MARKS[mark]
        query = (sa.select(table.c.id.label("mark_id"), statuses)
                 .join(statuses, statuses.c.id == table.c.status_id)
                 .where(table.c.account_id == viewer_id, visible_to(viewer_id)))
        rows = newest_first(await self.all(apply_page(query, table.c.id, page)), page)
        return [(row.mark_id, row) for row in rows]

    # Muted threads. A thread is named by its root: `thread_key` of any of its statuses.

    async def mute_thread(self, *, account_id: int, root_status_id: int) -> None:
        await self.insert_ignoring_conflicts(thread_mutes, [dict(
            id=new_id(), account_id=account_id, root_status_id=root_status_id,
            created_at=utcnow())])

    async def unmute_thread(self, *, account_id: int, root_status_id: int) -> None:
        await self.conn.execute(thread_mutes.delete().where(
            thread_mutes.c.account_id == account_id,
            thread_mutes.c.root_status_id == root_status_id))

    async def mutes_thread_of(self, account_id: int, status_id: int) -> bool:
        """Whether the account muted the thread this status belongs to."""
        root = sa.select(thread_key(statuses)).where(statuses.c.id == status_id)
        return await self.exists(sa.select(thread_mutes.c.id).where(
            thread_mutes.c.account_id == account_id,
            thread_mutes.c.root_status_id == root.scalar_subquery()))


def thread_key(table: sa.Table) -> sa.ColumnElement[int]:
    """The root of the thread a status belongs to: the status itself when it starts one (a
    reblog counts as one of its own, as in Mastodon)."""
    return sa.func.coalesce(table.c.thread_root_id, table.c.id)
