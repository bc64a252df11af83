"""The database-backed home feed store.

Fan-out writes one row per (follower, status); the home timeline reads them newest first and
re-checks visibility and the viewer's blocks and mutes at read time, so a block or an unfollow
takes effect at once even for entries written before it. Members of the viewer's exclusive
lists are left out the same way: their posts are read in those lists instead.

Statuses of followed accounts with `fan_out_on_read` (hybrid fan-out) have no rows here; the
timeline reads them from `statuses` by author and merges both, newest first. The rules the
fan-out would have applied hold here too: no replies to others, reblogs only when wanted.
"""

from __future__ import annotations

import functools
from dataclasses import replace

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
from zwitscher.db.repos.lists import exclusive_members
from zwitscher.db.schema import (
    accounts,
    follows,
    home_feed,
    status_tags,
    statuses,
    tag_follows,
)
from zwitscher.domain import feed_changes
from zwitscher.domain.feed_changes import Delivered, SourcesChanged
from zwitscher.domain.visibility import Visibility
from zwitscher.policies.visibility import (
    VIEWER,
    hidden_by_viewer,
    viewer_params,
    visible_to,
)

original = statuses.alias("original")
# Accounts above the fan-out threshold a home timeline merges in; they are the organisation's
# few very widely followed accounts (SQLite allows 500 parts in one compound statement).
MAX_MERGED_AUTHORS = 400


class HomeFeedRepo(Repo):
    """Every change but `trim` (the cached feeds are as short as trimmed ones) is noted for
    the feed id cache (`domain.feed_changes`)."""

    async def add(self, *, status_id: int, author_id: int, account_ids: list[int]) -> None:
        await self.insert_ignoring_conflicts(home_feed, [
            dict(account_id=a, status_id=status_id, author_id=author_id) for a in account_ids])
        feed_changes.note(self.conn.info, Delivered(status_id, tuple(account_ids)))

    async def remove_author(self, *, account_id: int, author_id: int) -> None:
        await self.conn.execute(home_feed.delete().where(home_feed.c.account_id == account_id,
                                                         home_feed.c.author_id == author_id))
        feed_changes.note(self.conn.info, SourcesChanged(account_id))

    async def remove_tagged(self, *, account_id: int, tag_id: int) -> None:
        """Take out the entries a followed tag brought: statuses with the tag by authors the
        account does not follow, unless another tag it follows or a group it is in brought
        them too."""
        other_followed_tags = sa.select(status_tags.c.status_id).join(
            tag_follows, tag_follows.c.tag_id == status_tags.c.tag_id).where(
            tag_follows.c.account_id == account_id, tag_follows.c.tag_id != tag_id)
        await self.conn.execute(home_feed.delete().where(
            home_feed.c.account_id == account_id,
            home_feed.c.author_id != account_id,
            home_feed.c.status_id.in_(sa.select(status_tags.c.status_id)
                                      .where(status_tags.c.tag_id == tag_id)),
            home_feed.c.status_id.not_in(other_followed_tags),
            home_feed.c.status_id.not_in(sa.select(statuses.c.id).where(
                statuses.c.visibility == Visibility.GROUP.value)),
            home_feed.c.author_id.not_in(sa.select(follows.c.target_account_id)
                                         .where(follows.c.account_id == account_id))))
        feed_changes.note(self.conn.info, SourcesChanged(account_id))

    async def merge_author(self, *, account_id: int, author_id: int, limit: int) -> None:
        """Backfill a new followee's recent statuses into the follower's feed."""
        recent = (sa.select(statuses.c.id).where(statuses.c.account_id == author_id)
                  .order_by(statuses.c.id.desc()).limit(limit))
        status_ids = await self.scalars(recent)
        await self.add_many(account_id=account_id, author_id=author_id, status_ids=status_ids)

    async def add_many(self, *, account_id: int, author_id: int, status_ids: list[int]) -> None:
        await self.insert_ignoring_conflicts(home_feed, [
            dict(account_id=account_id, status_id=s, author_id=author_id) for s in status_ids])
        feed_changes.note(self.conn.info, SourcesChanged(account_id))

    async def trim(self, account_ids: list[int], keep: int) -> int:
        """Delete all but the newest `keep` entries of these accounts' feeds; returns how many
        entries went. Each feed's cut is found by walking its newest `keep` index entries:
        ranking every entry of every feed instead cost 16 times as much on a full feed."""
        newest = home_feed.alias("newest")
        cut = (sa.select(newest.c.status_id).where(newest.c.account_id == accounts.c.id)
               .order_by(newest.c.status_id.desc()).limit(1).offset(keep).scalar_subquery())
        cuts = await self.conn.execute(sa.select(accounts.c.id, cut.label("cut"))
                                       .where(accounts.c.id.in_(account_ids)))
        deleted = 0
        for account_id, newest_dropped in cuts.all():
            if newest_dropped is not None:
                result = await self.conn.execute(home_feed.delete().where(
                    home_feed.c.account_id == account_id,
                    home_feed.c.status_id <= newest_dropped))
                deleted += result.rowcount
        return deleted

    # What the feed id cache (`timelines.feed_cache`) loads.

    async def written_ids(self, account_id: int, limit: int) -> list[int]:
        """The newest `limit` ids written into the feed, oldest first."""
        ids = await self.scalars(_written_ids(), {"viewer_id": account_id, "limit": limit})
        return ids[::-1]

    async def merged_author_ids(self, account_id: int) -> list[int]:
        return await self.scalars(_merged_authors(), {"viewer_id": account_id})

    async def merged_ids(self, author_id: int, limit: int) -> list[int]:
        """The newest `limit` statuses of an author that read-time merges show (no replies to
        others), oldest first."""
        ids = await self.scalars(_merged_ids(), {"author_id": author_id, "limit": limit})
        return ids[::-1]

    async def timeline(self, viewer_id: int, page: Page) -> list[sa.Row]:
        params = viewer_params(viewer_id) | page_params(page)
        if self.conn.dialect.name == "postgresql":
            query = _timeline_lateral(page_shape(page))
        else:
            found = await self.conn.execute(_merged_authors(), {"viewer_id": viewer_id})
            authors = found.scalars().all()[:MAX_MERGED_AUTHORS]
            params |= {f"author_{n}": author_id for n, author_id in enumerate(authors)}
            query = _timeline(page_shape(page), len(authors))
        rows = (await self.conn.execute(query, params)).all()
        unique = list({row.id: row for row in rows}.values())
        return newest_first(unique, page)


# Built once per page shape: the visibility rules make these the costliest statements to build,
# and every home timeline request runs one (for the viewer in `VIEWER`).

@functools.lru_cache(maxsize=256)
def _timeline(shape: Page, merged_authors: int) -> sa.Select:
    """Written entries and each merged author's newest statuses in one statement. A page
    needs at most `limit` statuses from any one author, so each author's part reads that many
    by the (account_id, id) index however much they ever posted. A status can be in both
    parts when its author crossed the threshold after it was written."""
    page = with_placeholders(shape)
    parts = [apply_page(_written(), home_feed.c.status_id, page.covering())]
    for n in range(merged_authors):
        author = sa.bindparam(f"author_{n}", type_=sa.BigInteger)
        parts.append(apply_page(_merged().where(statuses.c.account_id == author),
                                statuses.c.id, page.covering()))
    # The parts carry ids only; the page's rows are read once, at the end.
    both = sa.union_all(*(part.subquery().select() for part in parts)).subquery()
    chosen = apply_page(sa.select(both.c.id), both.c.id, page).scalar_subquery()
    return apply_page(sa.select(statuses).where(statuses.c.id.in_(chosen)), statuses.c.id,
                      replace(page, offset=0))


@functools.lru_cache(maxsize=128)
def _timeline_lateral(shape: Page) -> sa.Select:
    """The same for PostgreSQL in one fixed statement (prepared once, planned generically):
    a LATERAL join reads each merged author's newest statuses by index."""
    page = with_placeholders(shape)
    followed = follows.alias("merged_follows")
    per_author = apply_page(
        _merged_rules(sa.select(statuses.c.id)
                      .select_from(statuses.outerjoin(original,
                                                      original.c.id == statuses.c.reblog_of_id))
                      .where(statuses.c.account_id == followed.c.target_account_id), followed),
        statuses.c.id, page.covering()).lateral("merged_statuses")
    merged = (sa.select(per_author.c.id)
              .select_from(followed.join(accounts, sa.and_(
                  accounts.c.id == followed.c.target_account_id,
                  accounts.c.fan_out_on_read.is_(True))).join(per_author, sa.true()))
              .where(followed.c.account_id == VIEWER))
    written = apply_page(_written(), home_feed.c.status_id, page.covering())
    both = sa.union_all(written.subquery().select(), merged).subquery()
    chosen = apply_page(sa.select(both.c.id), both.c.id, page).scalar_subquery()
    return apply_page(sa.select(statuses).where(statuses.c.id.in_(chosen)), statuses.c.id,
                      replace(page, offset=0))


@functools.cache
def _merged_authors() -> sa.Select:
    """Followed accounts whose posts are merged at read time (hybrid fan-out)."""
    return (sa.select(follows.c.target_account_id)
            .join(accounts, accounts.c.id == follows.c.target_account_id)
            .where(follows.c.account_id == VIEWER, accounts.c.fan_out_on_read.is_(True))
            .order_by(follows.c.target_account_id))


@functools.cache
def _written_ids() -> sa.Select:
    return (sa.select(home_feed.c.status_id).where(home_feed.c.account_id == VIEWER)
            .order_by(home_feed.c.status_id.desc())
            .limit(sa.bindparam("limit", type_=sa.Integer)))


@functools.cache
def _merged_ids() -> sa.Select:
    return (sa.select(statuses.c.id)
            .where(statuses.c.account_id == sa.bindparam("author_id", type_=sa.BigInteger),
                   sa.or_(statuses.c.in_reply_to_account_id.is_(None),
                          statuses.c.in_reply_to_account_id == statuses.c.account_id))
            .order_by(statuses.c.id.desc()).limit(sa.bindparam("limit", type_=sa.Integer)))


_reblogs_follows = follows.alias("reblogs_follows")


@functools.cache
def _written() -> sa.Select:
    """Written entries, as the viewer wants them now: boosts of accounts whose boosts they
    turned off since are left out too."""
    reblogs_off = sa.exists().where(_reblogs_follows.c.account_id == VIEWER,
                                    _reblogs_follows.c.target_account_id == statuses.c.account_id,
                                    _reblogs_follows.c.show_reblogs.is_(False))
    return (sa.select(statuses.c.id)
            .select_from(home_feed.join(statuses, statuses.c.id == home_feed.c.status_id)
                         .outerjoin(original, original.c.id == statuses.c.reblog_of_id))
            .where(home_feed.c.account_id == VIEWER, visible_to(VIEWER),
                   ~hidden_by_viewer(VIEWER, statuses, original),
                   statuses.c.account_id.not_in(exclusive_members(VIEWER)),
                   sa.or_(statuses.c.reblog_of_id.is_(None), ~reblogs_off)))


@functools.cache
def _merged() -> sa.Select:
    """Statuses of a followed account merged at read time."""
    return _merged_rules(
        sa.select(statuses.c.id).select_from(
            statuses.join(follows, sa.and_(follows.c.target_account_id == statuses.c.account_id,
                                           follows.c.account_id == VIEWER))
            .outerjoin(original, original.c.id == statuses.c.reblog_of_id)), follows)


def _merged_rules(query: sa.Select, followed: sa.FromClause) -> sa.Select:
    """The rules the fan-out would have applied: no replies to others, reblogs only when
    wanted; and what the viewer may see, has not hidden, nor reads in an exclusive list."""
    return query.where(
        sa.or_(statuses.c.in_reply_to_account_id.is_(None),
               statuses.c.in_reply_to_account_id == statuses.c.account_id),
        sa.or_(statuses.c.reblog_of_id.is_(None), followed.c.show_reblogs.is_(True)),
        visible_to(VIEWER), ~hidden_by_viewer(VIEWER, statuses, original),
        statuses.c.account_id.not_in(exclusive_members(VIEWER)))
