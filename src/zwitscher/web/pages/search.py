"""Search: one box, results in sections (people, hashtags, posts), a type filter; the same
service as `/api/v2/search`, so the same visibility rules and limits apply."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter
from starlette.responses import Response

from zwitscher.api.deps import origin, uows
from zwitscher.api.presenters.accounts import present_account_rows
from zwitscher.db.pagination import Page
from zwitscher.domain.errors import DomainError
from zwitscher.domain.search import MAX_QUERY_LENGTH, MAX_TERMS
from zwitscher.services.search import TYPES, SearchQuery, search
from zwitscher.views.shown import show_statuses
from zwitscher.web.guards import SignedIn

router = APIRouter()

# All sections at once show a few of each; one section alone shows a page and pages on.
PREVIEW = 5
PER_PAGE = 20
# As far as the API lets anyone page (its `offset` stops there too).
MAX_OFFSET = 10_000


def _offset(raw: str) -> int:
    return min(int(raw), MAX_OFFSET) if raw.isascii() and raw.isdigit() and len(raw) <= 6 else 0


@router.get("/web/search", include_in_schema=False)
async def search_page(browser: SignedIn) -> Response:
    request, viewer = browser.request, browser.session.viewer
    q = request.query_params.get("q", "")
    chosen = request.query_params.get("type", "")
    chosen = chosen if chosen in TYPES else ""
    offset = _offset(request.query_params.get("offset", "")) if chosen else 0
    limit = PER_PAGE if chosen else PREVIEW
    context = {"q": q, "chosen": chosen, "types": TYPES, "offset": offset, "limit": limit,
               "max_length": MAX_QUERY_LENGTH, "accounts": [], "hashtags": [],
               "statuses": [], "followed_tag_ids": set(), "problem": None}

    def more(**changes: object) -> str:
        return "/web/search?" + urlencode({"q": q, "type": chosen, **changes})

    context["more"] = more
    if not q.strip():
        return browser.render("search.html", **context)
    query = SearchQuery(q=q, type=chosen or None, page=Page(limit=limit, offset=offset))
    try:
        async with uows(request).read() as uow:
            found = await search(uow, viewer=viewer, query=query,
                                 host=urlsplit(origin(request)).netloc)
            context |= {
                "accounts": await present_account_rows(uow, found.accounts, origin(request)),
                "statuses": (await show_statuses(uow, [row.id for row in found.statuses],
                                                 viewer_id=viewer.account_id))[0],
                "hashtags": found.hashtags, "followed_tag_ids": found.followed_tag_ids}
    except DomainError as exc:
        # The service's limits: the query's length, and how many words it may hold.
        problem = "too long" if len(q.strip()) > MAX_QUERY_LENGTH else "too many words"
        return browser.render("search.html", status_code=exc.status_code,
                              **context | {"problem": problem, "max_terms": MAX_TERMS})

    return browser.render("search.html", **context)
