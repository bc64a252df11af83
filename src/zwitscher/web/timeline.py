"""What every paged timeline page shares (public, hashtag, list): its statuses as the viewer
sees them (`views.shown`), and the links to older, newer and the latest posts.

The rows come from the same repository reads the API's timeline routes use, so the visibility
rules are theirs; this only renders them.
"""

from __future__ import annotations

from urllib.parse import urlencode

import sqlalchemy as sa

from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork
from zwitscher.views.shown import ShownStatus, show_statuses
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
    paged = page.max_id is not None or page.min_id is not None
    # Pages are cut by the rows read (as the API's Link header is), so a page thinned by
    # filters still links on correctly.
    return {
        "statuses": await shown_statuses(uow, [row.id for row in rows], viewer_id=viewer_id,
                                         filter_context=filter_context),
        "paged": paged,
        "latest_url": _link(path, query),
        "newer_url": _link(path, query, min_id=rows[0].id) if paged and rows else None,
        "older_url": _link(path, query, max_id=rows[-1].id) if len(rows) >= page.limit else None,
    }


async def shown_statuses(uow: UnitOfWork, status_ids: list[int], *, viewer_id: int | None,
                         filter_context: str | None) -> list[ShownStatus]:
    """The statuses as the viewer sees them, those their filters hide left out."""
    shown, _ = await show_statuses(uow, status_ids, viewer_id=viewer_id,
                                   filter_context=filter_context)
    return [status for status in shown if not status.hidden]
