"""Add, change and remove a filter's keywords and statuses one by one (the v2 sub-resources,
and the v1 API, where each keyword stands for a filter of its own)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, home_channel
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.filters import MAX_KEYWORDS, MAX_STATUSES, Filter, checked_keyword


async def _owned(uow: UnitOfWork, account_id: int, filter_id: int) -> Filter:
    current = await uow.filters.get(account_id, filter_id)
    if current is None:
        raise NotFound()
    return current


def _announce(uow: UnitOfWork, account_id: int) -> None:
    uow.publish(home_channel(account_id), Event.FILTERS_CHANGED, None)


async def add_filter_keyword(uow: UnitOfWork, *, account_id: int, filter_id: int,
                             keyword: str | None, whole_word: bool) -> sa.Row:
    current = await _owned(uow, account_id, filter_id)
    keyword = checked_keyword(keyword)
    if len(current.keywords) >= MAX_KEYWORDS:
        raise ValidationFailed("A filter can have at most %(max_keywords)s keywords",
                               max_keywords=MAX_KEYWORDS)
    keyword_id = await uow.filters.add_keyword(filter_id, keyword, whole_word)
    _announce(uow, account_id)
    return await uow.filters.keyword(account_id, keyword_id)


async def owned_keyword(uow: UnitOfWork, *, account_id: int, keyword_id: int) -> sa.Row:
    row = await uow.filters.keyword(account_id, keyword_id)
    if row is None:
        raise NotFound()
    return row


async def update_filter_keyword(uow: UnitOfWork, *, account_id: int, keyword_id: int,
                                keyword: str | None, whole_word: bool | None) -> sa.Row:
    current = await owned_keyword(uow, account_id=account_id, keyword_id=keyword_id)
    values = {"keyword": checked_keyword(keyword)}
    if whole_word is not None:
        values["whole_word"] = whole_word
    await uow.filters.change_keyword(current.id, **values)
    _announce(uow, account_id)
    return await uow.filters.keyword(account_id, keyword_id)


async def remove_filter_keyword(uow: UnitOfWork, *, account_id: int, keyword_id: int) -> None:
    await owned_keyword(uow, account_id=account_id, keyword_id=keyword_id)
    await uow.filters.remove_keyword(keyword_id)
    _announce(uow, account_id)


async def add_filter_status(uow: UnitOfWork, *, account_id: int, filter_id: int,
                            status_id: int | None) -> sa.Row:
    current = await _owned(uow, account_id, filter_id)
    if status_id is None or await uow.statuses.get_visible(status_id, account_id) is None:
        raise NotFound()
    if status_id not in current.status_ids and len(current.status_ids) >= MAX_STATUSES:
        raise ValidationFailed("A filter can have at most %(max_statuses)s statuses",
                               max_statuses=MAX_STATUSES)
    entry = await uow.filters.add_status(filter_id, status_id)
    _announce(uow, account_id)
    return entry


async def owned_filter_status(uow: UnitOfWork, *, account_id: int, entry_id: int) -> sa.Row:
    row = await uow.filters.status_entry(account_id, entry_id)
    if row is None:
        raise NotFound()
    return row


async def remove_filter_status(uow: UnitOfWork, *, account_id: int, entry_id: int) -> None:
    await owned_filter_status(uow, account_id=account_id, entry_id=entry_id)
    await uow.filters.remove_status(entry_id)
    _announce(uow, account_id)
