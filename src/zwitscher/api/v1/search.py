"""Search (`/api/v2/search`): accounts, hashtags and statuses; the rules are in
`services/search.py`."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from typing_extensions import TypedDict

from zwitscher.api.deps import OptionalViewer, Origin, uows
from zwitscher.api.entities import Account, Status
from zwitscher.api.operations import declare
from zwitscher.api.pagination import page_from
from zwitscher.api.params import Id, Params, parse
from zwitscher.api.presenters.accounts import present_account_rows
from zwitscher.api.presenters.statuses import present_statuses
from zwitscher.api.presenters.tags import Tag
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import Forbidden, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.services.search import SearchQuery, search

router = APIRouter()


class SearchResults(TypedDict):
    accounts: list[Account]
    statuses: list[Status]
    hashtags: list[Tag]


class SearchParams(Params):
    q: str = ""
    type: str | None = None
    resolve: bool = False
    following: bool = False
    account_id: Id | None = None
    # Accepted for Mastodon's clients; hashtags here are not reviewed, so none is left out.
    exclude_unreviewed: bool = False
    limit: int = 20  # read with `offset` by `page_from`
    offset: int = 0


@router.get("/api/v2/search")
@declare(returns=SearchResults, takes=SearchParams)
async def search_everything(request: Request, origin: Origin, viewer: OptionalViewer) -> JSON:
    params = await parse(request, SearchParams)
    if viewer is not None and not viewer.may("read:search"):
        raise Forbidden("This action is outside the authorized scopes")
    account_id = parse_id(params.account_id) if params.account_id else None
    if params.account_id and account_id is None:
        raise ValidationFailed("account_id is not a valid id")
    query = SearchQuery(q=params.q, type=params.type or None, resolve=params.resolve,
                        following=params.following, account_id=account_id,
                        page=page_from(request, default=20, maximum=40))
    viewer_id = viewer.account_id if viewer else None
    async with uows(request).read() as uow:
        found = await search(uow, viewer=viewer, query=query, host=urlsplit(origin).netloc)
        return JSON({
            "accounts": await present_account_rows(uow, found.accounts, origin),
            "statuses": await present_statuses(uow, found.statuses, viewer_id=viewer_id,
                                               origin=origin),
            "hashtags": [{"name": row.name, "url": f"{origin}/tags/{row.name_lower}",
                          "history": [], "following": row.id in found.followed_tag_ids}
                         for row in found.hashtags]})
