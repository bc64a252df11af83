"""People's archive exports: the rows that track them (`schema/archives.py`), and what an
archive reads that no other path reads (follows with their options, mutes with theirs, list
memberships, the media of a person's posts), a page at a time."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import (
    accounts,
    archive_exports,
    follows,
    list_accounts,
    lists,
    media_attachments,
    mutes,
    statuses,
)
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id

QUEUED, RUNNING, READY, EXPIRED, FAILED = "queued", "running", "ready", "expired", "failed"


class ArchivesRepo(Repo):
    async def hold_person(self, account_id: int) -> None:
        """Lock the person's account row until the transaction ends: two requests of one
        person at once are decided one after the other (SQLite has one writer anyway)."""
        await self.conn.execute(sa.select(accounts.c.id).where(accounts.c.id == account_id)
                                .with_for_update())

    async def create(self, account_id: int) -> sa.Row:
        archive_id = new_id()
        await self.conn.execute(archive_exports.insert().values(
            id=archive_id, account_id=account_id, state=QUEUED, created_at=utcnow()))
        return await self.get(archive_id)

    async def get(self, archive_id: int) -> sa.Row | None:
        return await self.one(archive_exports.select().where(archive_exports.c.id == archive_id))

    async def latest(self, account_id: int, *, failed: bool = True) -> sa.Row | None:
        """The person's newest archive (without `failed`: the newest that did not fail)."""
        query = archive_exports.select().where(archive_exports.c.account_id == account_id)
        if not failed:
            query = query.where(archive_exports.c.state != FAILED)
        return await self.one(query.order_by(archive_exports.c.id.desc()).limit(1))

    # The job's claim (see `schema/archives.py`).

    async def claim(self, archive_id: int, *, until: datetime) -> sa.Row | None:
        """Take a queued archive, or one whose last claim ran out; the row as claimed
        (`attempts`: the claim's number)."""
        now = utcnow()
        claimed = await self.conn.execute(archive_exports.update().where(
            archive_exports.c.id == archive_id,
            sa.or_(archive_exports.c.state == QUEUED,
                   sa.and_(archive_exports.c.state == RUNNING,
                           archive_exports.c.locked_until < now)),
        ).values(state=RUNNING, attempts=archive_exports.c.attempts + 1, locked_until=until))
        if not claimed.rowcount:
            return None
        return await self.get(archive_id)

    def _held(self, archive_id: int, attempt: int) -> sa.Update:
        return archive_exports.update().where(
            archive_exports.c.id == archive_id, archive_exports.c.state == RUNNING,
            archive_exports.c.attempts == attempt)

    async def renew(self, archive_id: int, attempt: int, *, until: datetime) -> bool:
        """Keep the claim; False when it was taken over."""
        return bool((await self.conn.execute(self._held(archive_id, attempt)
                                             .values(locked_until=until))).rowcount)

    async def finish(self, archive_id: int, attempt: int, *, file_key: str, file_size: int,
                     expires_at: datetime) -> bool:
        return bool((await self.conn.execute(self._held(archive_id, attempt).values(
            state=READY, locked_until=None, file_key=file_key, file_size=file_size,
            ready_at=utcnow(), expires_at=expires_at))).rowcount)

    async def release(self, archive_id: int, attempt: int, *, failed: bool) -> None:
        """Hand the claim back after a run that broke off: queued for the next run, or
        `failed` for good."""
        await self.conn.execute(self._held(archive_id, attempt).values(
            state=FAILED if failed else QUEUED, locked_until=None))

    async def expire(self, archive_id: int) -> None:
        await self.conn.execute(archive_exports.update().where(
            archive_exports.c.id == archive_id, archive_exports.c.state == READY,
        ).values(state=EXPIRED, file_key=None))

    # What an archive reads, newest first (`Page`: `max_id` is the last row's `page_id`).

    async def follows(self, account_id: int, page: Page) -> list[sa.Row]:
        query = (sa.select(follows.c.id.label("page_id"), accounts.c.username,
                           follows.c.show_reblogs, follows.c.notify)
                 .join(accounts, accounts.c.id == follows.c.target_account_id)
                 .where(follows.c.account_id == account_id))
        return await self.all(apply_page(query, follows.c.id, page))

    async def mutes(self, account_id: int, page: Page) -> list[sa.Row]:
        """Mutes in force (an expired one lingers until its job deletes it)."""
        query = (sa.select(mutes.c.id.label("page_id"), accounts.c.username,
                           mutes.c.hide_notifications)
                 .join(accounts, accounts.c.id == mutes.c.target_account_id)
                 .where(mutes.c.account_id == account_id,
                        sa.or_(mutes.c.expires_at.is_(None), mutes.c.expires_at > utcnow())))
        return await self.all(apply_page(query, mutes.c.id, page))

    async def list_members(self, account_id: int, page: Page) -> list[sa.Row]:
        """(list title, member) of every list the person owns."""
        query = (sa.select(list_accounts.c.id.label("page_id"), lists.c.title,
                           accounts.c.username)
                 .join(lists, lists.c.id == list_accounts.c.list_id)
                 .join(accounts, accounts.c.id == list_accounts.c.account_id)
                 .where(lists.c.account_id == account_id))
        return await self.all(apply_page(query, list_accounts.c.id, page))

    async def media_of_posts(self, account_id: int, page: Page) -> list[sa.Row]:
        """The attachments of the person's own posts."""
        query = (sa.select(media_attachments.c.id.label("page_id"), media_attachments.c.file_key)
                 .join(statuses, statuses.c.id == media_attachments.c.status_id)
                 .where(statuses.c.account_id == account_id))
        return await self.all(apply_page(query, media_attachments.c.id, page))
