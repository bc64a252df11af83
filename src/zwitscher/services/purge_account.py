"""Carry out an account's deletion once it is due (the `PurgeAccount` job, queued for the end
of the grace period, or at once by an admin): the person's statuses go a batch per run, as
any deletion of statuses does (`remove_statuses`: reblogs, media files, streams told), each
run queueing the next; the last run erases the rest (`AccountDeletionsRepo.erase` says what
stays) and leaves the account row as a tombstone, so the username is never given again.

A job for a deletion since cancelled, or moved to a later time, finds nothing to do. An
account under a legal hold is left alone until the hold ends: the job looks again daily.
"""

from __future__ import annotations

from datetime import timedelta

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.jobs import ExpireArchive, PurgeAccount
from zwitscher.domain.roles import Actor, Role
from zwitscher.services.delete_media import discard_media, forget_files
from zwitscher.services.record_audit import record_audit
from zwitscher.services.remove_statuses import remove_statuses

BATCH = 100
HELD_RETRY = timedelta(days=1)
# Who the audit log names for the deletion itself.
SCHEDULED_DELETION = Actor(None, Role.ADMIN, "scheduled deletion")


async def purge_account(uow: UnitOfWork, *, account_id: int) -> None:
    deletion = await uow.account_deletions.get(account_id)
    if deletion is None or deletion.delete_at > utcnow():
        return
    if account_id in await uow.legal_holds.held_account_ids():
        await uow.enqueue(PurgeAccount(account_id=account_id), delay=HELD_RETRY)
        return
    batch = await uow.account_deletions.statuses_of(account_id, BATCH)
    if batch:
        await remove_statuses(uow, statuses=batch)
        await uow.enqueue(PurgeAccount(account_id=account_id))
        return
    await _erase(uow, account_id)


async def _erase(uow: UnitOfWork, account_id: int) -> None:
    account = await uow.accounts.get(account_id)
    user = await uow.accounts.user_for_account(account_id)
    await discard_media(uow, await uow.account_deletions.leftover_media(account_id))
    for archive in await uow.account_deletions.archives(account_id):
        await uow.enqueue(ExpireArchive(archive_id=archive.id, file_key=archive.file_key))
    await forget_files(uow, [account.avatar_key, account.header_key])
    await uow.account_deletions.erase(account_id, user_id=user.id if user else None)
    await uow.accounts.update(
        account_id, display_name="", note="", fields=[], avatar_key=None, avatar_url=None,
        header_key=None, header_url=None, locked=False, bot=False, discoverable=False,
        indexable=False, hide_collections=True, follow_back=False, followers_count=0,
        following_count=0, statuses_count=0, last_status_at=None)
    await uow.account_deletions.remove(account_id)
    await record_audit(uow, actor=SCHEDULED_DELETION, action="account.deleted",
                       target_type="account", target_id=account_id, username=account.username)
