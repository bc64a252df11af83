"""Search (`/api/v2/search`): accounts and hashtags by name, a status by its URL.

Clients such as toot find an account by searching for it before they follow, block or show
it. Statuses are only found by their URL or URI on this server: like Mastodon without a search
engine configured, there is no full-text search.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from fastapi import APIRouter, Request

from zwitscher.api.deps import OptionalViewer, Origin, uows
from zwitscher.api.pagination import page_from
from zwitscher.api.presenters.accounts import present_account
from zwitscher.api.presenters.statuses import present_statuses
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import Forbidden, Unauthorized
from zwitscher.domain.ids import parse_id

router = APIRouter()

TYPES = ("accounts", "hashtags", "statuses")
# A status's `url` (/@name/ID) or `uri` (/users/name/statuses/ID).
STATUS_PATH = re.compile(r"^/(?:@[^/]+|users/[^/]+/statuses)/(\d+)/?$")


@router.get("/api/v2/search")
async def search(request: Request, origin: Origin, viewer: OptionalViewer) -> JSON:
    query = request.query_params
    q = query.get("q", "").strip()
    kind = query.get("type") or None
    page = page_from(request, default=20, maximum=40)
    if viewer is None and (query.get("resolve", "").lower() in ("true", "1") or page.offset):
        # Mastodon's rule: resolving and paging through results need a signed-in caller.
        raise Unauthorized("Search queries that resolve remote resources are not supported "
                           "without authentication")
    if viewer is not None and not viewer.may("read:search"):
        raise Forbidden("This action is outside the authorized scopes")
    result: dict[str, list] = {name: [] for name in TYPES}
    if not q or (kind is not None and kind not in TYPES):
        return JSON(result)
    viewer_id = viewer.account_id if viewer else None
    host = urlsplit(origin).netloc
    async with uows(request).read() as uow:
        if kind in (None, "accounts"):
            username, _, domain = q.lstrip("@").partition("@")
            if username and (not domain or domain == host):  # no remote accounts here
                following = query.get("following", "").lower() in ("true", "1")
                rows = await uow.accounts.search(
                    username, limit=page.limit, offset=page.offset,
                    following_of=viewer_id if following and viewer_id else None)
                exact = await uow.accounts.by_username(username) if not page.offset else None
                if exact is not None and not following:  # the exact match first, as Mastodon
                    rows = [exact] + [row for row in rows if row.id != exact.id]
                result["accounts"] = [present_account(row, origin)
                                      for row in rows[:page.limit]]
        if kind in (None, "hashtags") and q.lstrip("#"):
            rows = await uow.statuses.search_tags(q.lstrip("#"), limit=page.limit,
                                                  offset=page.offset)
            followed = await uow.tags.followed_among(viewer_id, [row.id for row in rows]) \
                if viewer_id else set()
            result["hashtags"] = [{"name": row.name, "url": f"{origin}/tags/{row.name_lower}",
                                   "history": [], "following": row.id in followed}
                                  for row in rows]
        if kind in (None, "statuses"):
            parts = urlsplit(q)
            match = STATUS_PATH.match(parts.path) if parts.netloc == host else None
            status_id = parse_id(match.group(1)) if match else None
            row = await uow.statuses.get_visible(status_id, viewer_id) if status_id else None
            if row is not None and not page.offset:
                result["statuses"] = await present_statuses(uow, [row], viewer_id=viewer_id,
                                                            origin=origin)
    return JSON(result)
