"""Search accounts, hashtags and statuses, each the way Mastodon finds them (`/api/v2/search`).

- A URL of something on this server (a profile, a status) finds exactly that, if the viewer
  may see it; nothing remote is ever fetched.
- accounts: username prefix or display name, `@name@this-host` too; `following` keeps only
  accounts the viewer follows; an exact username comes first.
- hashtags: name prefix, the exact name first.
- statuses: the full-text index (`domain.search` has the syntax), for signed-in people only as
  in Mastodon, through the same visibility predicate as every read path, without statuses of
  accounts the viewer blocks or mutes, nor of accounts that are not indexable unless the viewer
  wrote them or was mentioned in or acted on them (`policies.search`), newest first. A lone
  `#tag` or `@name` asks for that tag or account, not for statuses (Mastodon's rule too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import sqlalchemy as sa

from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Unauthorized
from zwitscher.domain.ids import parse_id
from zwitscher.domain.search import check_query_length, parse_status_query
from zwitscher.services.oauth import Viewer

TYPES = ("accounts", "hashtags", "statuses")
# A status's `url` (/@name/ID) or `uri` (/users/name/statuses/ID); a profile's /@name or
# /users/name.
_STATUS_PATH = re.compile(r"^/(?:@[^/]+|users/[^/]+/statuses)/(\d+)/?$")
_PROFILE_PATH = re.compile(r"^/(?:@|users/)([^/@]+)/?$")


@dataclass(frozen=True, slots=True)
class SearchQuery:
    q: str
    type: str | None = None  # one of TYPES; None for all of them
    resolve: bool = False
    following: bool = False
    account_id: int | None = None
    page: Page = field(default_factory=Page)


@dataclass(slots=True)
class SearchResults:
    accounts: list[sa.Row] = field(default_factory=list)
    hashtags: list[sa.Row] = field(default_factory=list)
    statuses: list[sa.Row] = field(default_factory=list)
    followed_tag_ids: set[int] = field(default_factory=set)  # of `hashtags`, by the viewer


async def search(uow: UnitOfWork, *, viewer: Viewer | None, query: SearchQuery,
                 host: str) -> SearchResults:
    """`host` is this server's, as the caller addressed it: URLs on it are ours."""
    viewer_id = viewer.account_id if viewer else None
    if viewer_id is None and (query.resolve or query.page.offset):
        # Mastodon's rule: resolving and paging through results need a signed-in person.
        raise Unauthorized("Search queries that resolve remote resources are not supported "
                           "without authentication")
    q = query.q.strip()
    check_query_length(q)
    results = SearchResults()
    if not q or (query.type is not None and query.type not in TYPES):
        return results
    wants = {query.type} if query.type else set(TYPES)
    url = urlsplit(q) if q.startswith(("https://", "http://")) else None
    if url is not None:
        if url.netloc == host and not query.page.offset:
            await _resolve_local_url(uow, url.path, viewer_id, wants, results)
        return results
    if "accounts" in wants:
        results.accounts = await _accounts(uow, q, viewer_id, query, host)
    if "hashtags" in wants and q.lstrip("#"):
        results.hashtags = await uow.statuses.search_tags(
            q.lstrip("#"), limit=query.page.limit, offset=query.page.offset)
        if viewer_id is not None:
            results.followed_tag_ids = await uow.tags.followed_among(
                viewer_id, [row.id for row in results.hashtags])
    single_name = " " not in q and (q.startswith("#") or "@" in q)
    if "statuses" in wants and viewer_id is not None and not single_name:
        results.statuses = await _statuses(uow, q, viewer_id, query)
    return results


async def _resolve_local_url(uow: UnitOfWork, path: str, viewer_id: int | None,
                             wants: set[str], results: SearchResults) -> None:
    if "statuses" in wants and (match := _STATUS_PATH.match(path)):
        status_id = parse_id(match.group(1))
        status = await uow.statuses.get_visible(status_id, viewer_id) if status_id else None
        results.statuses = [status] if status is not None else []
    elif "accounts" in wants and (match := _PROFILE_PATH.match(path)):
        account = await uow.accounts.by_username(match.group(1))
        results.accounts = [account] if account is not None else []


async def _accounts(uow: UnitOfWork, q: str, viewer_id: int | None, query: SearchQuery,
                    host: str) -> list[sa.Row]:
    username, _, domain = q.lstrip("@").partition("@")
    if not username or (domain and domain != host):  # no remote accounts here
        return []
    if query.following and viewer_id is None:  # nobody signed in follows anyone
        return []
    page = query.page
    rows = await uow.accounts.search(username, limit=page.limit, offset=page.offset,
                                     following_of=viewer_id if query.following else None)
    exact = await uow.accounts.by_username(username) if not page.offset else None
    if exact is not None and not query.following:  # the exact match first, as Mastodon
        rows = [exact] + [row for row in rows if row.id != exact.id]
    return rows[:page.limit]


async def _statuses(uow: UnitOfWork, q: str, viewer_id: int,
                    query: SearchQuery) -> list[sa.Row]:
    parsed = parse_status_query(q)
    if parsed.is_empty:
        return []
    author_id = query.account_id
    if parsed.author is not None:
        author = await uow.accounts.by_username(parsed.author)
        if author is None or (author_id is not None and author.id != author_id):
            return []
        author_id = author.id
    return await uow.search.statuses(parsed, viewer_id=viewer_id, page=query.page,
                                     author_id=author_id)
