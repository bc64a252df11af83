"""Account deletions: the schedule (`account_deletions`), and the statements that erase a
person's data once it is due (`services/purge_account.py`).

What stays of a deleted person: the account row as a tombstone (username, id, `deleted_at`),
the reports they filed or that were filed about them, the audit log, the posts they wrote for
brand accounts (the brand's), brand drafts they reviewed, others' posts that mention or answer
them, and legal holds. Everything else that names the account goes; the `users` row takes
sign-in data with it (tokens, sessions, identities, second factors) by its foreign keys.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import (
    account_conversations,
    account_deletions,
    account_notes,
    account_quality,
    accounts,
    announcement_reactions,
    announcement_reads,
    archive_exports,
    blocks,
    bookmarks,
    brand_authors,
    brand_drafts,
    domain_blocks,
    endorsements,
    favourites,
    featured_tags,
    filters,
    follow_events,
    follow_requests,
    follows,
    group_members,
    home_feed,
    idempotency_keys,
    invites,
    list_accounts,
    lists,
    markers,
    media_attachments,
    mutes,
    notification_permissions,
    notification_policies,
    notification_requests,
    notifications,
    poll_voters,
    poll_votes,
    push_subscriptions,
    scheduled_statuses,
    statuses,
    suggestion_dismissals,
    tag_follows,
    thread_mutes,
    users,
)

# Rows of the person's own, by the column that names them.
_OWN = (
    (account_conversations, "account_id"), (account_quality, "account_id"),
    (announcement_reactions, "account_id"), (announcement_reads, "account_id"),
    (bookmarks, "account_id"), (brand_authors, "author_id"), (domain_blocks, "account_id"),
    (favourites, "account_id"), (featured_tags, "account_id"), (filters, "account_id"),
    (follow_events, "account_id"), (group_members, "account_id"), (home_feed, "account_id"),
    (idempotency_keys, "account_id"), (invites, "created_by_id"),
    (list_accounts, "account_id"), (lists, "account_id"), (markers, "account_id"),
    (notification_policies, "account_id"), (poll_voters, "account_id"),
    (poll_votes, "account_id"), (push_subscriptions, "account_id"),
    (scheduled_statuses, "account_id"), (scheduled_statuses, "posted_by_id"),
    (tag_follows, "account_id"), (thread_mutes, "account_id"),
    (archive_exports, "account_id"),
)
# Rows between the person and someone else, by both of their columns.
_BETWEEN = (
    (follows, "account_id", "target_account_id"),
    (follow_requests, "account_id", "target_account_id"),
    (blocks, "account_id", "target_account_id"), (mutes, "account_id", "target_account_id"),
    (account_notes, "account_id", "target_account_id"),
    (endorsements, "account_id", "target_account_id"),
    (suggestion_dismissals, "account_id", "target_account_id"),
    (notification_permissions, "account_id", "from_account_id"),
    (notification_requests, "account_id", "from_account_id"),
    (notifications, "account_id", "from_account_id"),
)


class AccountDeletionsRepo(Repo):
    async def schedule(self, account_id: int, *, requested_at: datetime,
                       delete_at: datetime) -> None:
        await self.conn.execute(account_deletions.insert().values(
            account_id=account_id, requested_at=requested_at, delete_at=delete_at))

    async def get(self, account_id: int) -> sa.Row | None:
        return await self.one(account_deletions.select()
                              .where(account_deletions.c.account_id == account_id))

    async def move(self, account_id: int, *, delete_at: datetime) -> None:
        await self.conn.execute(account_deletions.update()
                                .where(account_deletions.c.account_id == account_id)
                                .values(delete_at=delete_at))

    async def remove(self, account_id: int) -> bool:
        """The deletion was cancelled, or is done; False: there was none."""
        removed = await self.conn.execute(account_deletions.delete()
                                          .where(account_deletions.c.account_id == account_id))
        return removed.rowcount > 0

    # Erasing, once due.

    async def statuses_of(self, account_id: int, limit: int) -> list[sa.Row]:
        """The next of the person's statuses to delete (reblogs too), newest first."""
        return await self.all(statuses.select().where(statuses.c.account_id == account_id)
                              .order_by(statuses.c.id.desc()).limit(limit))

    async def leftover_media(self, account_id: int) -> list[sa.Row]:
        """Uploads of the person that no status holds (never posted, scheduled, drafts still
        waiting for review); those of brand posts they wrote, or that an approved draft will
        publish, stay with the brand."""
        pending_drafts = sa.select(brand_drafts.c.id).where(
            brand_drafts.c.author_id == account_id, brand_drafts.c.state == "pending")
        return await self.all(media_attachments.select().where(
            media_attachments.c.account_id == account_id,
            media_attachments.c.status_id.is_(None),
            media_attachments.c.press_release_id.is_(None),
            sa.or_(media_attachments.c.brand_draft_id.is_(None),
                   media_attachments.c.brand_draft_id.in_(pending_drafts))))

    async def archives(self, account_id: int) -> list[sa.Row]:
        return await self.all(archive_exports.select().where(
            archive_exports.c.account_id == account_id,
            archive_exports.c.file_key.is_not(None)))

    async def erase(self, account_id: int, *, user_id: int | None) -> None:
        """Everything of the person but what the module's docstring keeps (their statuses and
        `leftover_media` went before). Counters others see (followers, following,
        favourites) are counted down first."""
        def less(column: sa.Column) -> sa.ColumnElement:
            greatest = sa.func.max if self.conn.dialect.name == "sqlite" else sa.func.greatest
            return greatest(column - 1, 0)

        await self.conn.execute(accounts.update().where(accounts.c.id.in_(
            sa.select(follows.c.target_account_id).where(follows.c.account_id == account_id)))
            .values(followers_count=less(accounts.c.followers_count)))
        await self.conn.execute(accounts.update().where(accounts.c.id.in_(
            sa.select(follows.c.account_id).where(follows.c.target_account_id == account_id)))
            .values(following_count=less(accounts.c.following_count)))
        await self.conn.execute(statuses.update().where(statuses.c.id.in_(
            sa.select(favourites.c.status_id).where(favourites.c.account_id == account_id)))
            .values(favourites_count=less(statuses.c.favourites_count)))
        for table, first, second in _BETWEEN:
            await self.conn.execute(table.delete().where(sa.or_(
                table.c[first] == account_id, table.c[second] == account_id)))
        for table, column in _OWN:
            await self.conn.execute(table.delete().where(table.c[column] == account_id))
        await self.conn.execute(brand_drafts.delete().where(
            brand_drafts.c.author_id == account_id, brand_drafts.c.state == "pending"))
        if user_id is not None:
            await self.conn.execute(users.delete().where(users.c.id == user_id))
