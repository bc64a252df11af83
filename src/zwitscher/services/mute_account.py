"""Mute and unmute: the muted account disappears from timelines (and notifications if asked)."""

from __future__ import annotations

from datetime import timedelta

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound, ValidationFailed


async def mute_account(uow: UnitOfWork, *, account_id: int, target_id: int,
                       notifications: bool = True, duration_seconds: int = 0) -> None:
    if account_id == target_id:
        raise ValidationFailed("You cannot mute yourself")
    if await uow.accounts.get(target_id) is None:
        raise NotFound()
    if duration_seconds < 0:
        raise ValidationFailed("Duration must not be negative")
    expires_at = utcnow() + timedelta(seconds=duration_seconds) if duration_seconds else None
    await uow.relationships.mute(account_id=account_id, target_id=target_id,
                                 hide_notifications=notifications, expires_at=expires_at)
    uow.publish(f"timeline:{account_id}", "relationships.changed", None)


async def unmute_account(uow: UnitOfWork, *, account_id: int, target_id: int) -> None:
    if await uow.accounts.get(target_id) is None:
        raise NotFound()
    await uow.relationships.unmute(account_id=account_id, target_id=target_id)
    uow.publish(f"timeline:{account_id}", "relationships.changed", None)
