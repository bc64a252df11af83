"""Favourite, bookmark and pin a status (and undo): marks one account sets on one status."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.analytics import Metric
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.visibility import Visibility
from zwitscher.services.notify import notify
from zwitscher.services.record_analytics import count_engagement, take_back_favourite

MAX_PINS = 5


async def _visible(uow: UnitOfWork, account_id: int, status_id: int) -> sa.Row:
    status = await uow.statuses.get_visible(status_id, account_id)
    if status is None:
        raise NotFound()
    return status


async def favourite_status(uow: UnitOfWork, *, account_id: int, status_id: int) -> sa.Row:
    status = await _visible(uow, account_id, status_id)
    if status.reblog_of_id is not None:
        status = await _visible(uow, account_id, status.reblog_of_id)
    now = utcnow()
    if await uow.interactions.add("favourite", account_id=account_id, status_id=status.id,
                                  at=now):
        await uow.statuses.add_to_counter(status.id, "favourites_count", 1)
        await notify(uow, recipient_id=status.account_id, actor_id=account_id,
                     type="favourite", status_id=status.id)
        await count_engagement(uow, metric=Metric.FAVOURITES, status=status,
                               by_account_id=account_id, at=now)
    return await uow.statuses.get(status.id)


async def unfavourite_status(uow: UnitOfWork, *, account_id: int, status_id: int) -> sa.Row:
    status = await _visible(uow, account_id, status_id)
    if status.reblog_of_id is not None:  # as when it was given: the boost stands for its original
        status = await _visible(uow, account_id, status.reblog_of_id)
    await take_back_favourite(uow, status=status, by_account_id=account_id)
    if await uow.interactions.remove("favourite", account_id=account_id, status_id=status.id):
        await uow.statuses.add_to_counter(status.id, "favourites_count", -1)
    return await uow.statuses.get(status.id)


async def bookmark_status(uow: UnitOfWork, *, account_id: int, status_id: int,
                          on: bool) -> sa.Row:
    status = await _visible(uow, account_id, status_id)
    if status.reblog_of_id is not None:  # as with favourites, a boost stands for its original
        status = await _visible(uow, account_id, status.reblog_of_id)
    if on:
        await uow.interactions.add("bookmark", account_id=account_id, status_id=status.id)
    else:
        await uow.interactions.remove("bookmark", account_id=account_id, status_id=status.id)
    return status


async def pin_status(uow: UnitOfWork, *, account_id: int, status_id: int, on: bool) -> sa.Row:
    status = await _visible(uow, account_id, status_id)
    if not on:
        await uow.interactions.remove("pin", account_id=account_id, status_id=status.id)
        return status
    if status.account_id != account_id or status.reblog_of_id is not None:
        raise ValidationFailed("Only your own statuses can be pinned")
    if not may_pin(status.visibility):
        raise ValidationFailed("Private and direct statuses cannot be pinned")
    if await uow.interactions.count("pin", account_id) >= MAX_PINS:
        raise ValidationFailed("You can pin at most %(max_pins)s statuses", max_pins=MAX_PINS)
    await uow.interactions.add("pin", account_id=account_id, status_id=status.id)
    return status


def may_pin(visibility: str) -> bool:
    """Whether a post of this audience may be pinned on its author's profile (the web card
    offers "Pin" only where `pin_status` would accept it)."""
    return visibility not in (Visibility.PRIVATE.value, Visibility.DIRECT.value)
