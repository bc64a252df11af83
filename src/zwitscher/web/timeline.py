"""What every paged timeline page shares (public, hashtag, list): its statuses as the API
presents them to the viewer, and the links to older, newer and the latest posts.

The rows come from the same repository reads the API's timeline routes use, so the visibility
rules are theirs; this only renders them.
"""

from __future__ import annotations

from urllib.parse import urlencode

import sqlalchemy as sa

from zwitscher.api.deps import origin
from zwitscher.api.presenters.statuses import hidden_by_filter, present_statuses
from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork
from zwitscher.web.browser import Browser


def _link(path: str, query: dict[str, str], **position: int) -> str:
    wanted = {**query, **{name: str(value) for name, value in position.items()}}
    return f"{path}?{urlencode(wanted)}" if wanted else path


async def timeline_context(uow: UnitOfWork, browser: Browser, rows: list[sa.Row], page: Page, *,
                           path: str, query: dict[str, str] | None = None,
                           filter_context: str) -> dict:
    """The template variables of a timeline: `statuses`, `paged` and the pager's links, which
    keep the page's own `query` (e.g. `local=true`) and replace only the position."""
    query = query or {}
    viewer_id = browser.session.viewer.account_id if browser.session else None
    entities = await present_statuses(uow, rows, viewer_id=viewer_id,
                                      origin=origin(browser.request),
                                      filter_context=filter_context)
    paged = page.max_id is not None or page.min_id is not None
    # Pages are cut by the rows read (as the API's Link header is), so a page thinned by
    # filters still links on correctly.
    return {
        "statuses": [entity for entity in entities if not hidden_by_filter(entity)],
        "paged": paged,
        "latest_url": _link(path, query),
        "newer_url": _link(path, query, min_id=rows[0].id) if paged and rows else None,
        "older_url": _link(path, query, max_id=rows[-1].id) if len(rows) >= page.limit else None,
    }
