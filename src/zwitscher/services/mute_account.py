"""Mute, unmute, and a timed mute running out: the muted account disappears from timelines
(and notifications if asked) while the mute is in force.

Fan-out skips muters, so when a mute ends the muted account's recent posts are merged back
into the home feed of a muter who follows them (as Mastodon does on unmute). A timed mute
queues its own expiry job: that deletes it and tells open streams, which keep their list of
hidden accounts in memory.
"""

from __future__ import annotations

from datetime import timedelta

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, home_channel
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.jobs import ExpireMute
from zwitscher.services.follow_account import BACKFILL

# Far beyond any mute a person means, well inside what a date can hold.
MAX_DURATION_SECONDS = 100 * 366 * 24 * 3600


async def mute_account(uow: UnitOfWork, *, account_id: int, target_id: int,
                       notifications: bool = True, duration_seconds: int = 0) -> None:
    if account_id == target_id:
        raise ValidationFailed("You cannot mute yourself")
    if not 0 <= duration_seconds <= MAX_DURATION_SECONDS:
        raise ValidationFailed("Duration must be between 0 and %(max_duration_seconds)s seconds",
                               max_duration_seconds=MAX_DURATION_SECONDS)
    if await uow.accounts.get(target_id) is None:
        raise NotFound()
    duration = timedelta(seconds=duration_seconds)
    expires_at = utcnow() + duration if duration_seconds else None
    await uow.relationships.mute(account_id=account_id, target_id=target_id,
                                 hide_notifications=notifications, expires_at=expires_at)
    if expires_at is not None:
        await uow.enqueue(ExpireMute(account_id=account_id, target_id=target_id),
                          delay=duration)
    uow.publish(home_channel(account_id), Event.RELATIONSHIPS_CHANGED, None)


async def unmute_account(uow: UnitOfWork, *, account_id: int, target_id: int) -> None:
    if await uow.accounts.get(target_id) is None:
        raise NotFound()
    if await uow.relationships.get_mute(account_id=account_id, target_id=target_id):
        await uow.relationships.unmute(account_id=account_id, target_id=target_id)
        await _mute_ended(uow, account_id=account_id, target_id=target_id)


async def expire_mute(uow: UnitOfWork, *, account_id: int, target_id: int) -> None:
    """End a timed mute whose time is up; one renewed or lifted meanwhile is left alone."""
    if await uow.relationships.delete_expired_mute(account_id=account_id, target_id=target_id):
        await _mute_ended(uow, account_id=account_id, target_id=target_id)


async def _mute_ended(uow: UnitOfWork, *, account_id: int, target_id: int) -> None:
    if await uow.relationships.get_follow(account_id=account_id, target_id=target_id):
        await uow.home_feed.merge_author(account_id=account_id, author_id=target_id,
                                         limit=BACKFILL)
    uow.publish(home_channel(account_id), Event.RELATIONSHIPS_CHANGED, None)
