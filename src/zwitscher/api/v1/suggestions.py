"""Follow suggestions (see services/suggest_accounts.py for where they come from)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from typing_extensions import TypedDict

from zwitscher.api.deps import Origin, path_id, scoped, uows
from zwitscher.api.entities import Account
from zwitscher.api.operations import Empty, declare
from zwitscher.api.params import Params, parse
from zwitscher.api.presenters.accounts import present_account_rows
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import ValidationFailed
from zwitscher.services.oauth import Viewer
from zwitscher.services.suggest_accounts import Suggestion, dismiss_suggestion, suggest_accounts

router = APIRouter()

# Mastodon's older single `source`, for clients that read only that.
_LEGACY_SOURCE = {"featured": "staff", "friends_of_friends": "past_interactions",
                  "most_followed": "global"}


class SuggestionEntity(TypedDict):
    source: str
    sources: list[str]
    account: Account


class SuggestionsQuery(Params):
    limit: int = 40


async def _suggestions(request: Request, viewer: Viewer, origin: str
                       ) -> list[tuple[Suggestion, dict]]:
    """Each suggestion with its account presented."""
    query = await parse(request, SuggestionsQuery)
    if query.limit < 1:
        raise ValidationFailed("limit must be positive")
    async with uows(request).read() as uow:
        found = await suggest_accounts(uow, viewer_id=viewer.account_id,
                                       limit=min(query.limit, 80))
        accounts = await present_account_rows(uow, [s.account for s in found], origin)
    return list(zip(found, accounts, strict=True))


@router.get("/api/v2/suggestions")
@declare(returns=list[SuggestionEntity], takes=SuggestionsQuery)
async def suggestions(request: Request, origin: Origin,
                      viewer: Viewer = Depends(scoped("read:accounts"))) -> JSON:
    found = await _suggestions(request, viewer, origin)
    return JSON([{"source": _LEGACY_SOURCE[s.sources[0]], "sources": s.sources,
                  "account": account} for s, account in found])


@router.get("/api/v1/suggestions")
@declare(returns=list[Account], takes=SuggestionsQuery)
async def suggestions_v1(request: Request, origin: Origin,
                         viewer: Viewer = Depends(scoped("read:accounts"))) -> JSON:
    found = await _suggestions(request, viewer, origin)
    return JSON([account for _, account in found])


@router.delete("/api/v1/suggestions/{account_id}")
@declare(returns=Empty)
async def dismiss(request: Request, account_id: str,
                  viewer: Viewer = Depends(scoped("read:accounts", "write:accounts"))) -> JSON:
    async with uows(request).write() as uow:
        await dismiss_suggestion(uow, viewer_id=viewer.account_id, account_id=path_id(account_id))
    return JSON({})
