"""Change a filter: its title, contexts, action, expiry and (by `keywords_attributes`) its
keywords; or delete it. Everything is checked before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, home_channel
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.filters import (
    MAX_KEYWORDS,
    Filter,
    checked_action,
    checked_context,
    checked_keyword,
    checked_title,
    expiry,
)
from zwitscher.services.create_filter import KeywordChange


@dataclass(frozen=True, slots=True)
class FilterChanges:
    """None leaves a field as it is; `expires_in` applies only when `expires_in_given` (then
    None means: never expires)."""

    title: str | None = None
    context: list[str] | None = None
    action: str | None = None
    expires_in: int | None = None
    expires_in_given: bool = False
    keywords: list[KeywordChange] = field(default_factory=list)


async def _owned(uow: UnitOfWork, account_id: int, filter_id: int) -> Filter:
    current = await uow.filters.get(account_id, filter_id)
    if current is None:
        raise NotFound()
    return current


def _filter_values(changes: FilterChanges) -> dict:
    values: dict = {}
    if changes.title is not None:
        values["title"] = checked_title(changes.title)
    if changes.context is not None:
        values["context"] = checked_context(changes.context)
    if changes.action is not None:
        values["action"] = checked_action(changes.action)
    if changes.expires_in_given:
        values["expires_at"] = expiry(changes.expires_in, utcnow())
    return values


async def update_filter(uow: UnitOfWork, *, account_id: int, filter_id: int,
                        changes: FilterChanges) -> Filter:
    current = await _owned(uow, account_id, filter_id)
    values = _filter_values(changes)
    existing = {k.id: k for k in current.keywords}
    added: list[tuple[str, bool]] = []
    changed: dict[int, dict] = {}
    removed: set[int] = set()
    for change in changes.keywords:
        if change.id is None:
            if not change.destroy:
                added.append((checked_keyword(change.keyword),
                              True if change.whole_word is None else change.whole_word))
            continue
        if change.id not in existing:
            raise NotFound()
        if change.destroy:
            removed.add(change.id)
            continue
        update = {}
        if change.keyword is not None:
            update["keyword"] = checked_keyword(change.keyword)
        if change.whole_word is not None:
            update["whole_word"] = change.whole_word
        changed[change.id] = update
    if len(existing) - len(removed) + len(added) > MAX_KEYWORDS:
        raise ValidationFailed("A filter can have at most %(max_keywords)s keywords",
                               max_keywords=MAX_KEYWORDS)
    if values:
        await uow.filters.change(filter_id, **values)
    for keyword_id in removed:
        await uow.filters.remove_keyword(keyword_id)
    for keyword_id, update in changed.items():
        if update and keyword_id not in removed:
            await uow.filters.change_keyword(keyword_id, **update)
    for keyword, whole_word in added:
        await uow.filters.add_keyword(filter_id, keyword, whole_word)
    uow.publish(home_channel(account_id), Event.FILTERS_CHANGED, None)
    return await uow.filters.get(account_id, filter_id)


async def delete_filter(uow: UnitOfWork, *, account_id: int, filter_id: int) -> None:
    await _owned(uow, account_id, filter_id)
    await uow.filters.remove(filter_id)
    uow.publish(home_channel(account_id), Event.FILTERS_CHANGED, None)
