"""The database-backed home feed store.

Fan-out writes one row per (follower, status); the home timeline reads them newest first and
re-checks visibility and the viewer's blocks and mutes at read time, so a block or an unfollow
takes effect at once even for entries written before it.

Statuses of followed accounts with `fan_out_on_read` (hybrid fan-out) have no rows here; the
timeline reads them from `statuses` by author and merges both, newest first. The rules the
fan-out would have applied hold here too: no replies to others, reblogs only when wanted.
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
from zwitscher.db.schema import accounts, follows, home_feed, statuses
from zwitscher.policies.visibility import VIEWER, hidden_by_viewer, viewer_params, visible_to

original = statuses.alias("original")


class HomeFeedRepo(Repo):
    async def add(self, *, status_id: int, author_id: int, account_ids: list[int]) -> None:
        await self.insert_ignoring_conflicts(home_feed, [
            dict(account_id=a, status_id=status_id, author_id=author_id) for a in account_ids])

    async def remove_author(self, *, account_id: int, author_id: int) -> None:
        await self.conn.execute(home_feed.delete().where(home_feed.c.account_id == account_id,
                                                         home_feed.c.author_id == author_id))

    async def merge_author(self, *, account_id: int, author_id: int, limit: int) -> None:
        """Backfill a new followee's recent statuses into the follower's feed."""
        recent = (sa.select(statuses.c.id).where(statuses.c.account_id == author_id)
                  .order_by(statuses.c.id.desc()).limit(limit))
        status_ids = await self.scalars(recent)
        await self.add_many(account_id=account_id, author_id=author_id, status_ids=status_ids)

    async def add_many(self, *, account_id: int, author_id: int, status_ids: list[int]) -> None:
        await self.insert_ignoring_conflicts(home_feed, [
            dict(account_id=account_id, status_id=s, author_id=author_id) for s in status_ids])

    async def trim(self, account_ids: list[int], keep: int) -> int:
        """Delete all but the newest `keep` entries of these accounts' feeds; returns how many
        entries went."""
        ranked = (sa.select(home_feed.c.account_id, home_feed.c.status_id,
                            sa.func.row_number().over(partition_by=home_feed.c.account_id,
                                                      order_by=home_feed.c.status_id.desc())
                            .label("rank"))
                  .where(home_feed.c.account_id.in_(account_ids)).subquery())
        stale = sa.select(ranked.c.account_id, ranked.c.status_id).where(ranked.c.rank > keep)
        result = await self.conn.execute(home_feed.delete().where(
            sa.tuple_(home_feed.c.account_id, home_feed.c.status_id).in_(stale)))
        return result.rowcount

    async def timeline(self, viewer_id: int, page: Page) -> list[sa.Row]:
        params = viewer_params(viewer_id) | page_params(page)
        rows = (await self.conn.execute(_timeline(page_shape(page)), params)).all()
        unique = list({row.id: row for row in rows}.values())
        return newest_first(unique, page)


# Built once per page shape: the visibility rules make these the costliest statements to build,
# and every home timeline request runs one (for the viewer in `VIEWER`).

@functools.lru_cache(maxsize=128)
def _timeline(shape: Page) -> sa.Select:
    """Written and merged entries in one statement (one round trip); a status can be in
    both when its author crossed the threshold after it was written."""
    page = with_placeholders(shape)
    written = apply_page(_written(), home_feed.c.status_id, page.covering())
    merged = apply_page(_merged(), statuses.c.id, page.covering())
    both = sa.union_all(written.subquery().select(), merged.subquery().select()).subquery()
    return apply_page(sa.select(both), both.c.id, page)


@functools.cache
def _written() -> sa.Select:
    return (sa.select(statuses)
            .select_from(home_feed.join(statuses, statuses.c.id == home_feed.c.status_id)
                         .outerjoin(original, original.c.id == statuses.c.reblog_of_id))
            .where(home_feed.c.account_id == VIEWER, visible_to(VIEWER),
                   ~hidden_by_viewer(VIEWER, statuses, original)))


@functools.cache
def _merged() -> sa.Select:
    """Statuses of followed accounts whose posts are merged at read time, under the rules the
    fan-out would have applied: no replies to others, reblogs only when wanted."""
    return (sa.select(statuses)
            .select_from(
                statuses.join(follows, sa.and_(follows.c.target_account_id == statuses.c.account_id,
                                               follows.c.account_id == VIEWER))
                .join(accounts, sa.and_(accounts.c.id == statuses.c.account_id,
                                        accounts.c.fan_out_on_read.is_(True)))
                .outerjoin(original, original.c.id == statuses.c.reblog_of_id))
            .where(sa.or_(statuses.c.in_reply_to_account_id.is_(None),
                          statuses.c.in_reply_to_account_id == statuses.c.account_id),
                   sa.or_(statuses.c.reblog_of_id.is_(None), follows.c.show_reblogs.is_(True)),
                   visible_to(VIEWER), ~hidden_by_viewer(VIEWER, statuses, original)))
