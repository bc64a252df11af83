from __future__ import annotations

import functools
from dataclasses import dataclass, field

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import accounts, blocks, domain_blocks, follow_requests, follows, mutes
from zwitscher.domain import feed_changes
from zwitscher.domain.clock import utcnow
from zwitscher.domain.feed_changes import SourcesChanged
from zwitscher.domain.ids import new_id
from zwitscher.policies.visibility import (
    account_shown,
    domain_blocked_accounts,
    from_deleted_account,
    hidden_author,
    hides_anyone,
)


def _mute_in_force() -> sa.ColumnElement[bool]:
    """Expired mutes linger until their expiry job deletes them; they count for nothing."""
    return sa.or_(mutes.c.expires_at.is_(None), mutes.c.expires_at > utcnow())


@dataclass(slots=True)
class RelationshipFacts:
    """What a viewer's relationship rows say about a set of target accounts."""

    following: dict[int, sa.Row] = field(default_factory=dict)
    followed_by: set[int] = field(default_factory=set)
    requested: dict[int, sa.Row] = field(default_factory=dict)
    requested_by: set[int] = field(default_factory=set)
    blocking: set[int] = field(default_factory=set)
    blocked_by: set[int] = field(default_factory=set)
    muting: dict[int, sa.Row] = field(default_factory=dict)
    domain_blocking: set[int] = field(default_factory=set)


class RelationshipsRepo(Repo):
    # Follows.

    async def follow(self, *, account_id: int, target_id: int, show_reblogs: bool,
                     notify: bool) -> bool:
        """Create the follow; False if it existed (then its options are updated)."""
        inserted = await self.insert_ignoring_conflicts(follows, [dict(
            id=new_id(), account_id=account_id, target_account_id=target_id,
            show_reblogs=show_reblogs, notify=notify, created_at=utcnow())])
        if not inserted:
            await self.conn.execute(follows.update().where(
                follows.c.account_id == account_id, follows.c.target_account_id == target_id
            ).values(show_reblogs=show_reblogs, notify=notify))
        feed_changes.note(self.conn.info, SourcesChanged(account_id))
        return bool(inserted)

    async def unfollow(self, *, account_id: int, target_id: int) -> bool:
        result = await self.conn.execute(follows.delete().where(
            follows.c.account_id == account_id, follows.c.target_account_id == target_id))
        feed_changes.note(self.conn.info, SourcesChanged(account_id))
        return result.rowcount > 0

    async def get_follow(self, *, account_id: int, target_id: int) -> sa.Row | None:
        return await self.one(follows.select().where(
            follows.c.account_id == account_id, follows.c.target_account_id == target_id))

    async def followed_among(self, account_id: int, target_ids: list[int]) -> set[int]:
        return set(await self.scalars(sa.select(follows.c.target_account_id).where(
            follows.c.account_id == account_id, follows.c.target_account_id.in_(target_ids))))

    async def followed_fan_out_on_read(self, account_id: int) -> dict[int, bool]:
        """Followed accounts merged at read time, with whether their reblogs are wanted."""
        rows = await self.all(
            sa.select(follows.c.target_account_id, follows.c.show_reblogs)
            .join(accounts, accounts.c.id == follows.c.target_account_id)
            .where(follows.c.account_id == account_id, accounts.c.fan_out_on_read.is_(True)))
        return {row.target_account_id: row.show_reblogs for row in rows}

    async def follower_ids(self, target_id: int) -> list[sa.Row]:
        """Followers with their follow options, for fan-out."""
        return await self.all(sa.select(follows.c.account_id, follows.c.show_reblogs,
                                        follows.c.notify)
                              .where(follows.c.target_account_id == target_id))

    async def notifying_followers(self, target_id: int) -> list[sa.Row]:
        """Followers who asked to be notified of the target's posts."""
        return await self.all(sa.select(follows.c.account_id, follows.c.show_reblogs,
                                        follows.c.notify)
                              .where(follows.c.target_account_id == target_id,
                                     follows.c.notify.is_(True)))

    async def _account_page(self, table: sa.Table, *, where, account_column, page: Page
                            ) -> list[tuple[int, sa.Row]]:
        query = (sa.select(table.c.id.label("page_id"), accounts)
                 .join(accounts, accounts.c.id == account_column).where(where))
        rows = newest_first(await self.all(apply_page(query, table.c.id, page)), page)
        return [(row.page_id, row) for row in rows]

    async def followers(self, target_id: int, page: Page, *,
                        hidden_for: int | None = None) -> list[tuple[int, sa.Row]]:
        """`hidden_for`: leave out the accounts this viewer hides (blocked either way,
        muted, on a blocked domain)."""
        return await self._account_page(
            follows, where=sa.and_(follows.c.target_account_id == target_id,
                                   _not_hidden(hidden_for), account_shown()),
            account_column=follows.c.account_id, page=page)

    async def following(self, account_id: int, page: Page, *,
                        hidden_for: int | None = None) -> list[tuple[int, sa.Row]]:
        return await self._account_page(
            follows, where=sa.and_(follows.c.account_id == account_id, _not_hidden(hidden_for),
                                   account_shown()),
            account_column=follows.c.target_account_id, page=page)

    async def familiar_followers(self, viewer_id: int, target_ids: list[int]
                                 ) -> dict[int, list[sa.Row]]:
        """Followers of each target whom the viewer follows, newest follow first, by target;
        none who hide their own network (Mastodon's rule)."""
        if not target_ids:
            return {}
        followed = follows.alias("followed_by_viewer")
        rows = await self.all(
            sa.select(follows.c.target_account_id.label("familiar_of"), accounts)
            .join(accounts, accounts.c.id == follows.c.account_id)
            .where(self.among(follows.c.target_account_id, target_ids),
                   follows.c.account_id.in_(sa.select(followed.c.target_account_id)
                                            .where(followed.c.account_id == viewer_id)),
                   accounts.c.hide_collections.is_(False))
            .order_by(follows.c.id.desc()))
        found: dict[int, list[sa.Row]] = {}
        for row in rows:
            found.setdefault(row.familiar_of, []).append(row)
        return found

    # Follow requests.

    async def request_follow(self, *, account_id: int, target_id: int, show_reblogs: bool,
                             notify: bool) -> bool:
        return bool(await self.insert_ignoring_conflicts(follow_requests, [dict(
            id=new_id(), account_id=account_id, target_account_id=target_id,
            show_reblogs=show_reblogs, notify=notify, created_at=utcnow())]))

    async def take_follow_request(self, *, account_id: int, target_id: int) -> sa.Row | None:
        row = await self.one(follow_requests.select().where(
            follow_requests.c.account_id == account_id,
            follow_requests.c.target_account_id == target_id))
        if row is not None:
            await self.conn.execute(follow_requests.delete().where(
                follow_requests.c.id == row.id))
        return row

    async def follow_requests_for(self, target_id: int, page: Page) -> list[tuple[int, sa.Row]]:
        return await self._account_page(
            follow_requests, where=_requested_of(target_id),
            account_column=follow_requests.c.account_id, page=page)

    async def follow_requests_count(self, target_id: int) -> int:
        return await self.scalar(sa.select(sa.func.count()).where(_requested_of(target_id)))

    # Blocks and mutes.

    async def block(self, *, account_id: int, target_id: int) -> None:
        await self.insert_ignoring_conflicts(blocks, [dict(
            id=new_id(), account_id=account_id, target_account_id=target_id,
            created_at=utcnow())])

    async def unblock(self, *, account_id: int, target_id: int) -> None:
        await self.conn.execute(blocks.delete().where(
            blocks.c.account_id == account_id, blocks.c.target_account_id == target_id))

    async def blocks_of(self, account_id: int, page: Page) -> list[tuple[int, sa.Row]]:
        return await self._account_page(blocks, where=blocks.c.account_id == account_id,
                                        account_column=blocks.c.target_account_id, page=page)

    async def blocking_among(self, account_ids: list[int], target_id: int) -> set[int]:
        """Those of `account_ids` that block `target_id`."""
        if not account_ids:
            return set()
        return set(await self.scalars(sa.select(blocks.c.account_id).where(
            self.among(blocks.c.account_id, account_ids),
            blocks.c.target_account_id == target_id)))

    async def is_blocked_either_way(self, a: int, b: int) -> bool:
        return await self.exists(sa.select(blocks.c.id).where(sa.or_(
            sa.and_(blocks.c.account_id == a, blocks.c.target_account_id == b),
            sa.and_(blocks.c.account_id == b, blocks.c.target_account_id == a))))

    async def mute(self, *, account_id: int, target_id: int, hide_notifications: bool,
                   expires_at) -> None:
        await self.conn.execute(mutes.delete().where(
            mutes.c.account_id == account_id, mutes.c.target_account_id == target_id))
        await self.conn.execute(mutes.insert().values(
            id=new_id(), account_id=account_id, target_account_id=target_id,
            hide_notifications=hide_notifications, expires_at=expires_at, created_at=utcnow()))

    async def unmute(self, *, account_id: int, target_id: int) -> None:
        await self.conn.execute(mutes.delete().where(
            mutes.c.account_id == account_id, mutes.c.target_account_id == target_id))

    async def mutes_of(self, account_id: int, page: Page) -> list[tuple[int, sa.Row]]:
        """Muted accounts, each with its `mute_expires_at`."""
        query = (sa.select(mutes.c.id.label("page_id"),
                           mutes.c.expires_at.label("mute_expires_at"), accounts)
                 .join(accounts, accounts.c.id == mutes.c.target_account_id)
                 .where(mutes.c.account_id == account_id, _mute_in_force()))
        rows = newest_first(await self.all(apply_page(query, mutes.c.id, page)), page)
        return [(row.page_id, row) for row in rows]

    async def get_mute(self, *, account_id: int, target_id: int) -> sa.Row | None:
        return await self.one(mutes.select().where(
            mutes.c.account_id == account_id, mutes.c.target_account_id == target_id))

    async def delete_expired_mute(self, *, account_id: int, target_id: int) -> bool:
        """Delete the mute if it has run out (a renewed one stays); True if it went."""
        result = await self.conn.execute(mutes.delete().where(
            mutes.c.account_id == account_id, mutes.c.target_account_id == target_id,
            mutes.c.expires_at <= utcnow()))
        return result.rowcount > 0

    async def hiding_any(self, authors: set[int]) -> set[int]:
        """Accounts that block or mute any of `authors` (or their domain), or that one of them
        blocks."""
        return set(await self.scalars(_hiding_any(),
                                      {"targets": list(authors), "now": utcnow()}))

    async def excluded_sets(self, viewer_id: int) -> tuple[set[int], set[int]]:
        """(accounts hidden from the viewer's streams entirely, accounts whose notifications
        the viewer does not want: muted with notifications, or on a blocked domain)."""
        domain_blocked = domain_blocked_accounts(viewer_id).subquery()
        rows = await self.all(sa.union_all(
            sa.select(sa.literal("b"), blocks.c.target_account_id, sa.literal(True))
            .where(blocks.c.account_id == viewer_id),
            sa.select(sa.literal("B"), blocks.c.account_id, sa.literal(True))
            .where(blocks.c.target_account_id == viewer_id),
            sa.select(sa.literal("m"), mutes.c.target_account_id, mutes.c.hide_notifications)
            .where(mutes.c.account_id == viewer_id, _mute_in_force()),
            sa.select(sa.literal("d"), domain_blocked.c.id, sa.literal(True)),
        ))
        hidden = {row[1] for row in rows}
        muted_notifications = {row[1] for row in rows if row[0] in ("m", "d") and row[2]}
        return hidden, muted_notifications

    async def facts(self, viewer_id: int, target_ids: list[int]) -> RelationshipFacts:
        facts = RelationshipFacts()
        if not target_ids:
            return facts
        targets = list(target_ids)
        for row in await self.all(follows.select().where(
                follows.c.account_id == viewer_id, follows.c.target_account_id.in_(targets))):
            facts.following[row.target_account_id] = row
        facts.followed_by = set(await self.scalars(sa.select(follows.c.account_id).where(
            follows.c.target_account_id == viewer_id, follows.c.account_id.in_(targets))))
        for row in await self.all(follow_requests.select().where(
                follow_requests.c.account_id == viewer_id,
                follow_requests.c.target_account_id.in_(targets))):
            facts.requested[row.target_account_id] = row
        facts.requested_by = set(await self.scalars(
            sa.select(follow_requests.c.account_id).where(
                follow_requests.c.target_account_id == viewer_id,
                follow_requests.c.account_id.in_(targets))))
        facts.blocking = set(await self.scalars(sa.select(blocks.c.target_account_id).where(
            blocks.c.account_id == viewer_id, blocks.c.target_account_id.in_(targets))))
        facts.blocked_by = set(await self.scalars(sa.select(blocks.c.account_id).where(
            blocks.c.target_account_id == viewer_id, blocks.c.account_id.in_(targets))))
        for row in await self.all(mutes.select().where(
                mutes.c.account_id == viewer_id, mutes.c.target_account_id.in_(targets),
                _mute_in_force())):
            facts.muting[row.target_account_id] = row
        domain_blocked = domain_blocked_accounts(viewer_id).subquery()
        facts.domain_blocking = set(await self.scalars(
            sa.select(domain_blocked.c.id).where(domain_blocked.c.id.in_(targets))))
        return facts


def _requested_of(target_id: int) -> sa.ColumnElement[bool]:
    """Follow requests to the target, leaving out those of people who deleted their account."""
    return sa.and_(follow_requests.c.target_account_id == target_id,
                   ~from_deleted_account(follow_requests.c.account_id))


def _not_hidden(viewer_id: int | None) -> sa.ColumnElement[bool]:
    if viewer_id is None:
        return sa.true()
    return ~sa.and_(hides_anyone(viewer_id), hidden_author(viewer_id, accounts.c.id))


@functools.cache
def _hiding_any() -> sa.CompoundSelect:
    """Built once (each fan-out asks it)."""
    targets = sa.bindparam("targets", expanding=True)
    author_accounts = accounts.alias("hidden_authors")
    in_force = sa.or_(mutes.c.expires_at.is_(None), mutes.c.expires_at > sa.bindparam("now"))
    return sa.union(
        sa.select(blocks.c.account_id).where(blocks.c.target_account_id.in_(targets)),
        sa.select(blocks.c.target_account_id).where(blocks.c.account_id.in_(targets)),
        sa.select(mutes.c.account_id).where(mutes.c.target_account_id.in_(targets), in_force),
        sa.select(domain_blocks.c.account_id).join(author_accounts, sa.and_(
            author_accounts.c.id.in_(targets),
            author_accounts.c.username_lower.like(sa.literal("%@") + domain_blocks.c.domain))),
    )
