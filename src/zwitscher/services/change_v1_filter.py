"""The v1 filters API on v2 filters, as Mastodon maps it: a v1 filter is one keyword (its id is
the keyword's); creating one makes a filter titled with its phrase that holds just it."""

from __future__ import annotations

from dataclasses import dataclass

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, home_channel
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.filters import (
    MAX_TITLE_LENGTH,
    Filter,
    Keyword,
    checked_context,
    checked_keyword,
    expiry,
)
from zwitscher.services.change_filter_parts import owned_keyword
from zwitscher.services.create_filter import FilterDraft, KeywordChange, create_filter


@dataclass(frozen=True, slots=True)
class V1FilterChanges:
    """None leaves a field as it is; `expires_in` applies only when `expires_in_given`."""

    phrase: str | None = None
    context: list[str] | None = None
    irreversible: bool | None = None
    whole_word: bool | None = None
    expires_in: int | None = None
    expires_in_given: bool = False


def _action(irreversible: bool) -> str:
    return "hide" if irreversible else "warn"


async def create_v1_filter(uow: UnitOfWork, *, account_id: int, phrase: str | None,
                           context: list[str], irreversible: bool, whole_word: bool,
                           expires_in: int | None) -> tuple[Filter, Keyword]:
    phrase = checked_keyword(phrase)
    created = await create_filter(uow, account_id=account_id, draft=FilterDraft(
        title=phrase[:MAX_TITLE_LENGTH], context=context, action=_action(irreversible),
        expires_in=expires_in, keywords=[KeywordChange(phrase, whole_word)]))
    return created, created.keywords[0]


async def update_v1_filter(uow: UnitOfWork, *, account_id: int, keyword_id: int,
                           changes: V1FilterChanges) -> tuple[Filter, Keyword]:
    keyword = await owned_keyword(uow, account_id=account_id, keyword_id=keyword_id)
    current = await uow.filters.get(account_id, keyword.filter_id)
    values: dict = {}
    if changes.context is not None:
        values["context"] = checked_context(changes.context)
    if changes.irreversible is not None:
        values["action"] = _action(changes.irreversible)
    if changes.expires_in_given:
        values["expires_at"] = expiry(changes.expires_in, utcnow())
    keyword_values: dict = {}
    if changes.phrase is not None:
        keyword_values["keyword"] = checked_keyword(changes.phrase)
    if changes.whole_word is not None:
        keyword_values["whole_word"] = changes.whole_word
    if len(current.keywords) > 1:
        # The other keywords would change with it: as Mastodon, only the phrase may change.
        if (values.get("context", current.context) != current.context
                or values.get("action", current.action) != current.action
                or "expires_at" in values):
            raise ValidationFailed("This filter has several keywords; change its context, "
                                   "action or expiry with the v2 filters API")
        values = {}
    elif "keyword" in keyword_values:
        values["title"] = keyword_values["keyword"][:MAX_TITLE_LENGTH]
    if values:
        await uow.filters.change(current.id, **values)
    if keyword_values:
        await uow.filters.change_keyword(keyword_id, **keyword_values)
    uow.publish(home_channel(account_id), Event.FILTERS_CHANGED, None)
    return await v1_filter(uow, account_id=account_id, keyword_id=keyword_id)


async def v1_filter(uow: UnitOfWork, *, account_id: int, keyword_id: int
                    ) -> tuple[Filter, Keyword]:
    keyword = await owned_keyword(uow, account_id=account_id, keyword_id=keyword_id)
    current = await uow.filters.get(account_id, keyword.filter_id)
    return current, next(k for k in current.keywords if k.id == keyword_id)


async def delete_v1_filter(uow: UnitOfWork, *, account_id: int, keyword_id: int) -> None:
    """Remove the keyword; and its filter, when nothing else was in it (what a v1 client
    means by deleting its filter), so no empty filter is left behind."""
    keyword = await owned_keyword(uow, account_id=account_id, keyword_id=keyword_id)
    current = await uow.filters.get(account_id, keyword.filter_id)
    if len(current.keywords) == 1 and not current.status_ids:
        await uow.filters.remove(current.id)
    else:
        await uow.filters.remove_keyword(keyword_id)
    uow.publish(home_channel(account_id), Event.FILTERS_CHANGED, None)
