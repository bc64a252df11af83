"""Create a filter with its keywords; refused whole (422) when anything in it is not allowed."""

from __future__ import annotations

from dataclasses import dataclass, field

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, home_channel
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.filters import (
    MAX_FILTERS,
    MAX_KEYWORDS,
    Filter,
    checked_action,
    checked_context,
    checked_keyword,
    checked_title,
    expiry,
)


@dataclass(frozen=True, slots=True)
class KeywordChange:
    """One entry of `keywords_attributes[]`: a new keyword (no id), or a change to (or with
    `destroy`, the removal of) the keyword with that id."""

    keyword: str | None = None
    whole_word: bool | None = None
    id: int | None = None
    destroy: bool = False


@dataclass(frozen=True, slots=True)
class FilterDraft:
    title: str | None
    context: list[str]
    action: str | None = None
    expires_in: int | None = None
    keywords: list[KeywordChange] = field(default_factory=list)


async def create_filter(uow: UnitOfWork, *, account_id: int, draft: FilterDraft) -> Filter:
    title = checked_title(draft.title)
    context = checked_context(draft.context)
    action = checked_action(draft.action)
    expires_at = expiry(draft.expires_in, utcnow())
    keywords = []
    for change in draft.keywords:
        if change.id is not None:  # as Mastodon: a new filter has no keywords to refer to
            raise NotFound()
        if not change.destroy:
            keywords.append((checked_keyword(change.keyword),
                             True if change.whole_word is None else change.whole_word))
    if len(keywords) > MAX_KEYWORDS:
        raise ValidationFailed("A filter can have at most %(max_keywords)s keywords",
                               max_keywords=MAX_KEYWORDS)
    if await uow.filters.count(account_id) >= MAX_FILTERS:
        raise ValidationFailed("You can have at most %(max_filters)s filters",
                               max_filters=MAX_FILTERS)
    filter_id = await uow.filters.add(account_id=account_id, title=title, context=context,
                                      action=action, expires_at=expires_at)
    for keyword, whole_word in keywords:
        await uow.filters.add_keyword(filter_id, keyword, whole_word)
    uow.publish(home_channel(account_id), Event.FILTERS_CHANGED, None)
    return await uow.filters.get(account_id, filter_id)
