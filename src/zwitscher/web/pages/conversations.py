"""Direct conversations: the person's threads of direct posts, most recently active first, as
`GET /api/v1/conversations` lists them (the same repository read: one's own rows only, each
shown while its last post is visible to its reader). Opening one marks it read
(`mark_conversation_read`, as the API's `POST …/read`) and goes to its last post's thread.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from fastapi import APIRouter
from starlette.responses import Response

from zwitscher.api.deps import uows
from zwitscher.api.pagination import page_from
from zwitscher.domain.errors import DomainError
from zwitscher.domain.ids import parse_id
from zwitscher.services.manage_conversation import mark_conversation_read
from zwitscher.views.accounts import AccountView, load_accounts
from zwitscher.views.shown import ShownStatus, show_statuses
from zwitscher.web.guards import SignedIn

router = APIRouter()


@dataclass(frozen=True, slots=True)
class ConversationItem:
    id: int
    unread: bool
    # The others in it (oneself when one wrote only to oneself, as Mastodon shows it).
    people: tuple[AccountView, ...]
    last: ShownStatus


@router.get("/web/conversations", include_in_schema=False)
async def conversations(browser: SignedIn) -> Response:
    viewer_id = browser.session.viewer.account_id
    page = page_from(browser.request)
    async with uows(browser.request).read() as uow:
        rows = await uow.conversations.page(viewer_id, page)
        shown, _ = await show_statuses(uow, [row.last_status_id for row in rows],
                                       viewer_id=viewer_id)
        accounts = await load_accounts(
            uow, {a for row in rows for a in row.participant_ids} | {viewer_id})
    items = _items(rows, {status.id: status for status in shown}, accounts, viewer_id)
    paged = page.max_id is not None or page.min_id is not None
    return browser.render(
        "conversations.html", conversations=items, paged=paged,
        older_id=rows[-1].last_status_id if len(rows) >= page.limit else None)


def _items(rows: list[sa.Row], last: dict[int, ShownStatus], accounts: dict[int, AccountView],
           viewer_id: int) -> list[ConversationItem]:
    items = []
    for row in rows:
        if row.last_status_id not in last:
            continue
        others = [accounts[a] for a in row.participant_ids if a != viewer_id and a in accounts]
        items.append(ConversationItem(id=row.id, unread=row.unread,
                                      people=tuple(others or [accounts[viewer_id]]),
                                      last=last[row.last_status_id]))
    return items


@router.get("/web/conversations/{conversation_id}", include_in_schema=False)
async def open_conversation(conversation_id: str, browser: SignedIn) -> Response:
    """Marks it read and goes to its thread. A GET, so the list's entries are plain links
    (opened in a new tab too); marking one's own conversation read is all it can do."""
    viewer_id = browser.session.viewer.account_id
    try:
        async with uows(browser.request).write() as uow:
            row = await mark_conversation_read(uow, account_id=viewer_id,
                                               conversation_id=parse_id(conversation_id) or 0)
            status = await uow.statuses.get(row.last_status_id)
            author = await uow.accounts.get(status.account_id)
    except DomainError as exc:
        return browser.problem(exc)
    return browser.redirect(f"/@{author.username}/{status.id}#status-{status.id}")
