"""Reblog (boost) and undo: a reblog is a status of its own pointing at the original."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.analytics import Metric
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.jobs import FanOutStatus
from zwitscher.domain.visibility import Visibility
from zwitscher.services.delete_status import remove_status
from zwitscher.services.notify import notify
from zwitscher.services.record_analytics import count_engagement


async def reblog_status(uow: UnitOfWork, *, account_id: int, status_id: int,
                        visibility: Visibility = Visibility.PUBLIC) -> sa.Row:
    target = await uow.statuses.get_visible(status_id, account_id)
    if target is None:
        raise NotFound()
    if target.reblog_of_id is not None:  # reblogging a reblog boosts the original
        target = await uow.statuses.get_visible(target.reblog_of_id, account_id)
        if target is None:
            raise NotFound()
    if not may_reblog(target.visibility, own=target.account_id == account_id):
        raise ValidationFailed("This status cannot be reblogged")
    existing = await uow.statuses.reblog_of(account_id=account_id, status_id=target.id)
    if existing is not None:
        return existing
    if target.visibility in (Visibility.PRIVATE.value, Visibility.INTERNAL.value):
        # An author's boost of their followers-only (or internal) post goes to the same
        # audience, whatever was asked (as Mastodon boosts a private post).
        visibility = Visibility(target.visibility)
    elif visibility not in (Visibility.PUBLIC, Visibility.UNLISTED, Visibility.PRIVATE):
        raise ValidationFailed("A boost can only be public, unlisted or for followers")
    now = utcnow()
    reblog_id = await uow.statuses.insert(account_id=account_id, reblog_of_id=target.id,
                                          visibility=visibility.value, created_at=now)
    await uow.statuses.add_to_counter(target.id, "reblogs_count", 1)
    await uow.accounts.add_to_counter(account_id, "statuses_count", 1)
    await uow.home_feed.add(status_id=reblog_id, author_id=account_id, account_ids=[account_id])
    await notify(uow, recipient_id=target.account_id, actor_id=account_id, type="reblog",
                 status_id=target.id)
    await count_engagement(uow, metric=Metric.BOOSTS, status=target, by_account_id=account_id,
                           at=now)
    await uow.enqueue(FanOutStatus(status_id=reblog_id))
    return await uow.statuses.get(reblog_id)


def may_reblog(visibility: str, *, own: bool) -> bool:
    """Whether a status of this visibility may be boosted (the web shows the button only then).
    Group posts stay with their groups; internal ones may be boosted, but only internally."""
    if visibility in (Visibility.DIRECT.value, Visibility.GROUP.value):
        return False
    return own or visibility != Visibility.PRIVATE.value


async def unreblog_status(uow: UnitOfWork, *, account_id: int, status_id: int) -> sa.Row:
    """Returns the original status."""
    target = await uow.statuses.get_visible(status_id, account_id)
    if target is None:
        raise NotFound()
    reblog = await uow.statuses.reblog_of(account_id=account_id, status_id=target.id)
    if reblog is not None:
        await remove_status(uow, status=reblog)
    return await uow.statuses.get(target.id)
