"""A brand account's public newsroom: its published public releases, as anyone reads them.

The newsroom is the same for everybody, signed in or not: it asks the releases' policy for
what an anonymous reader may read (`policies/press_releases.py`: published, and its status is
public), so a release under embargo, one for press groups only, one withdrawn (its post
deleted) and one of another brand are simply not found. Only brand accounts have a newsroom.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import parse_id
from zwitscher.services.show_press_releases import (
    ReleaseView,
    show_press_release,
    show_press_releases,
)

MAX_QUERY = 200


async def newsroom_brand(uow: UnitOfWork, *, name: str) -> sa.Row | None:
    """The brand account whose newsroom `name` (its username, or its id) is; None for a
    person, a suspended account, or nobody."""
    name = name[:64]
    account = await uow.accounts.shown_by_username(name)
    if account is None and (account_id := parse_id(name)) is not None:
        found = await uow.accounts.get(account_id)
        account = found and await uow.accounts.shown_by_username(found.username)
    return account if account is not None and account.kind == "brand" else None


async def newsroom_releases(uow: UnitOfWork, *, brand_id: int, page: Page,
                            query: str = "") -> list[ReleaseView]:
    """A page of the brand's published public releases, newest first; `query` keeps those
    with each of its words in the headline or text."""
    rows = await uow.press_releases.readable_page(
        page, viewer_id=None, now=utcnow(), brand_id=brand_id, query=query[:MAX_QUERY])
    return await show_press_releases(uow, rows)


async def newsroom_release(uow: UnitOfWork, *, brand_id: int,
                           release_id: int) -> ReleaseView | None:
    """One of the brand's releases, if anyone may read it."""
    view = await show_press_release(uow, release_id=release_id, viewer_id=None)
    return view if view is not None and view.release.brand_id == brand_id else None
