"""Write a person's archive: the `archive.make` job (its members: `archive_members.py`).

No transaction stays open while the zip is written: on SQLite a write held for minutes would
stall every other writer, and a long read on PostgreSQL keeps old rows from being vacuumed.
Each page of rows is read, and rendered, in a short unit of work of its own; the files are
copied in threads. So the job is a delivery (`jobs/handlers.py`), and like one it may run
twice: a run claims the archive (`schema/archives.py`) and renews its claim between pages,
so a second run (the job's lease ran out while the first still wrote) finds it taken and
comes back when the claim would run out, and a run that stalled past its claim stops.

A run that breaks off leaves no file and hands its claim back; the job system tries again
with backoff, and after MAX_ATTEMPTS claims the archive is marked failed (the person may ask
again at once). When it is ready, the person gets an e-mail, and its expiry is queued.
A worker writes only so many archives at a time (`domain/jobs.py: MakeArchive`), so e-mails
and pushes never queue behind a run on archives.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from functools import partial
from typing import Any

import orjson
import sqlalchemy as sa

from zwitscher.db.pagination import Page
from zwitscher.db.repos.archives import RUNNING
from zwitscher.db.uow import UnitOfWork, UnitsOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import TemporaryFailure
from zwitscher.domain.jobs import ExpireArchive, MakeArchive
from zwitscher.media.archives import ArchiveWriter, archive_store, new_archive_key
from zwitscher.services import archive_members as members
from zwitscher.services.queue_mail import queue_mail
from zwitscher.views.statuses import load_statuses

# Where the e-mail sends the person: the settings page with the download link.
ARCHIVE_PAGE = "/web/settings/archive"
PAGE_SIZE = 200
CLAIM = timedelta(minutes=5)
MAX_ATTEMPTS = 5

# A page's items, and the `max_id` of the next page (None: this was the last).
Fetch = Callable[[UnitOfWork, Page], Awaitable[tuple[list[Any], int | None]]]


class _Run:
    """One run's claim on the archive, and the pages it reads under it."""

    def __init__(self, uows: UnitsOfWork, archive_id: int, attempt: int) -> None:
        self.uows = uows
        self.archive_id = archive_id
        self.attempt = attempt
        self.renewed_at = utcnow()

    async def keep_claim(self) -> None:
        if utcnow() - self.renewed_at < CLAIM / 5:
            return
        async with self.uows.write() as uow:
            kept = await uow.archives.renew(self.archive_id, self.attempt,
                                            until=utcnow() + CLAIM)
        if not kept:
            raise TemporaryFailure("another run of the job took this archive over")
        self.renewed_at = utcnow()

    async def pages(self, fetch: Fetch) -> AsyncIterator[list[Any]]:
        max_id = None
        while True:
            await self.keep_claim()
            async with self.uows.read() as uow:
                found, max_id = await fetch(uow, Page(max_id=max_id, limit=PAGE_SIZE))
            if found:
                yield found
            if max_id is None:
                return


def _next(rows: list, page: Page, page_id: Callable[[Any], int]) -> int | None:
    return page_id(rows[-1]) if len(rows) == page.limit else None


async def make_archive(uows: UnitsOfWork, *, archive_id: int) -> None:
    async with uows.write() as uow:
        archive = await uow.archives.claim(archive_id, until=utcnow() + CLAIM)
        if archive is None:
            await _come_back_later(uow, archive_id)
            return
        if archive.attempts > MAX_ATTEMPTS:
            await uow.archives.release(archive_id, archive.attempts, failed=True)
            return
    run = _Run(uows, archive_id, archive.attempts)
    store = archive_store(uows.settings)
    key = new_archive_key()
    writer = store.writer(key)
    try:
        await writer.start()
        await _write(run, writer, archive.account_id, members.Addresses(uows.settings.base_url))
        size = await writer.finish()
    except BaseException:
        await writer.abandon()
        with contextlib.suppress(Exception):
            async with uows.write() as uow:
                await uow.archives.release(archive_id, run.attempt, failed=False)
        raise
    async with uows.write() as uow:
        finished = await _finish(uow, archive, attempt=run.attempt, key=key, size=size)
    if not finished:
        await store.delete(key)


async def _come_back_later(uow: UnitOfWork, archive_id: int) -> None:
    """Another run holds the archive: look again once its claim would have run out (done
    by then, it is ready and this has nothing to do)."""
    archive = await uow.archives.get(archive_id)
    if archive is not None and archive.state == RUNNING:
        await uow.enqueue(MakeArchive(archive_id=archive_id),
                          delay=archive.locked_until - utcnow() + timedelta(seconds=1))


async def _finish(uow: UnitOfWork, archive: sa.Row, *, attempt: int, key: str,
                  size: int) -> bool:
    keep = timedelta(seconds=uow.settings.archive_keep_seconds)
    expires_at = utcnow() + keep
    if not await uow.archives.finish(archive.id, attempt, file_key=key, file_size=size,
                                     expires_at=expires_at):
        return False
    await uow.enqueue(ExpireArchive(archive_id=archive.id, file_key=key), delay=keep)
    account = await uow.accounts.get(archive.account_id)
    user = await uow.accounts.user_for_account(archive.account_id)
    if account is not None and user is not None and user.email:
        await queue_mail(uow, kind="archive_ready", to=user.email,
                         name=account.display_name or account.username, language=user.locale,
                         size=size, expires_at=expires_at.isoformat(), path=ARCHIVE_PAGE)
    return True


async def _write(run: _Run, writer: ArchiveWriter, account_id: int,
                 addresses: members.Addresses) -> None:
    async with run.uows.read() as uow:
        account = await uow.accounts.get(account_id)
    if account is None:
        return  # deleted meanwhile, and its archive row with it: nothing will be finished
    await writer.add(members.ACTOR, orjson.dumps(members.person(account, addresses)))
    media_store = run.uows.media_store
    for which, key in (("avatar", account.avatar_key), ("header", account.header_key)):
        if key:
            await writer.copy(members.image_name(which, key), partial(media_store.open, key))
    await _collection(run, writer, members.OUTBOX, partial(_posts, account_id, addresses))
    async for files in run.pages(partial(_media_keys, account_id)):
        for file_key in files:
            await writer.copy(members.MEDIA_DIR + file_key, partial(media_store.open, file_key))
    for name, mark in ((members.LIKES, "favourite"), (members.BOOKMARKS, "bookmark")):
        await _collection(run, writer, name, partial(_marked, account_id, mark, addresses))
    for name, header, fetch in _CSV_FILES:
        async with writer.member(name) as write:
            if header:
                await write(members.csv_lines((), header))
            async for rows in run.pages(partial(fetch, account_id, addresses)):
                await write(members.csv_lines(rows))


async def _collection(run: _Run, writer: ArchiveWriter, name: str, fetch: Fetch) -> None:
    total = 0
    async with writer.member(name) as write:
        await write(members.collection_start(name))
        async for found in run.pages(fetch):
            await write(members.items(found, first=total == 0))
            total += len(found)
        await write(members.collection_end(total))


async def _posts(account_id: int, addresses: members.Addresses, uow: UnitOfWork,
                 page: Page) -> tuple[list[dict], int | None]:
    """The person's own posts, every audience (read through the visibility rules, which
    show a person all their own)."""
    listed = await uow.statuses.account_statuses(
        account_id, account_id, page, exclude_replies=False, exclude_reblogs=False,
        only_media=False, pinned=False, tagged=None)
    ids = [row.id for row in listed]
    views = await load_statuses(uow, ids)
    media = await uow.media.of_statuses(ids)
    boosted = await uow.statuses.get_many({view.reblog_of_id for view in views.values()
                                           if view.reblog_of_id})
    authors = await uow.accounts.get_many(
        {row.account_id for row in boosted.values()}
        | {view.in_reply_to_account_id for view in views.values()
           if view.in_reply_to_account_id})
    usernames = {account.id: account.username for account in authors.values()}
    activities = []
    for status_id in ids:
        view = views.get(status_id)
        if view is None:
            continue
        if view.reblog_of_id is None:
            activities.append(members.create_activity(view, media.get(status_id, []), usernames,
                                                  addresses))
        elif (original := boosted.get(view.reblog_of_id)) and original.account_id in usernames:
            activities.append(members.announce_activity(
                view, author=usernames[original.account_id], addresses=addresses))
    return activities, _next(listed, page, lambda row: row.id)


async def _media_keys(account_id: int, uow: UnitOfWork, page: Page
                      ) -> tuple[list[str], int | None]:
    rows = await uow.archives.media_of_posts(account_id, page)
    return [row.file_key for row in rows], _next(rows, page, lambda row: row.page_id)


async def _marked(account_id: int, mark: str, addresses: members.Addresses, uow: UnitOfWork,
                  page: Page) -> tuple[list[str], int | None]:
    """Ids of the posts the person favourited or bookmarked and may still see."""
    marked = await uow.interactions.marked_statuses(mark, account_id, page)
    authors = await uow.accounts.get_many({status.account_id for _, status in marked})
    return ([addresses.status(authors[status.account_id].username, status.id)
             for _, status in marked if status.account_id in authors],
            _next(marked, page, lambda pair: pair[0]))


async def _following(account_id: int, addresses: members.Addresses, uow: UnitOfWork,
                     page: Page) -> tuple[list[tuple], int | None]:
    rows = await uow.archives.follows(account_id, page)
    # Languages: Zwitscher's follows are of every language.
    return ([(addresses.acct(row.username), row.show_reblogs, row.notify, "")
             for row in rows], _next(rows, page, lambda row: row.page_id))


async def _lists(account_id: int, addresses: members.Addresses, uow: UnitOfWork,
                 page: Page) -> tuple[list[tuple], int | None]:
    rows = await uow.archives.list_members(account_id, page)
    return ([(row.title, addresses.acct(row.username)) for row in rows],
            _next(rows, page, lambda row: row.page_id))


async def _bookmarks(account_id: int, addresses: members.Addresses, uow: UnitOfWork,
                     page: Page) -> tuple[list[tuple], int | None]:
    uris, next_id = await _marked(account_id, "bookmark", addresses, uow, page)
    return [(uri,) for uri in uris], next_id


async def _blocks(account_id: int, addresses: members.Addresses, uow: UnitOfWork,
                  page: Page) -> tuple[list[tuple], int | None]:
    pairs = await uow.relationships.blocks_of(account_id, page)
    return ([(addresses.acct(account.username),) for _, account in pairs],
            _next(pairs, page, lambda pair: pair[0]))


async def _mutes(account_id: int, addresses: members.Addresses, uow: UnitOfWork,
                 page: Page) -> tuple[list[tuple], int | None]:
    rows = await uow.archives.mutes(account_id, page)
    return ([(addresses.acct(row.username), row.hide_notifications) for row in rows],
            _next(rows, page, lambda row: row.page_id))


async def _domain_blocks(account_id: int, _addresses: members.Addresses, uow: UnitOfWork,
                         page: Page) -> tuple[list[tuple], int | None]:
    rows = await uow.domain_blocks.page(account_id, page)
    return [(row.domain,) for row in rows], _next(rows, page, lambda row: row.id)


_CSV_FILES = (
    (members.FOLLOWING_CSV, members.FOLLOWING_HEADER, _following),
    (members.LISTS_CSV, None, _lists),
    (members.BOOKMARKS_CSV, None, _bookmarks),
    (members.BLOCKS_CSV, None, _blocks),
    (members.MUTES_CSV, members.MUTES_HEADER, _mutes),
    (members.DOMAIN_BLOCKS_CSV, None, _domain_blocks),
)
