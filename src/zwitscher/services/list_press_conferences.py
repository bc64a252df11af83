"""List press conferences: a brand's, or every one a person may watch (newest first), each
checked against its audience (`policies/press_conferences.watchable_by`)."""

from __future__ import annotations

from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound
from zwitscher.domain.roles import ADMINISTRATORS, SPEAKERS, parse_role
from zwitscher.services.watch_press_conference import Watcher, moderates
from zwitscher.views.press_conferences import ConferenceView, load_conferences


async def brand_press_conferences(uow: UnitOfWork, *, watcher: Watcher, brand_id: int,
                                  page: Page) -> list[ConferenceView]:
    brand = await uow.accounts.shown(brand_id)
    if brand is None or brand.kind != "brand":
        raise NotFound("No such brand account")
    rows = await uow.press_conferences.of_brand(
        brand_id, viewer_id=watcher.account_id,
        moderates=await moderates(uow, watcher, brand_id), page=page)
    return await load_conferences(uow, rows, now=utcnow())


async def list_press_conferences(uow: UnitOfWork, *, watcher: Watcher,
                                 page: Page) -> list[ConferenceView]:
    role = parse_role(watcher.role)
    if watcher.account_id is not None and role in ADMINISTRATORS:
        moderated = None
    elif watcher.account_id is not None and role in SPEAKERS:
        moderated = [row.id for row in await uow.brands.brands_of(watcher.account_id)]
    else:
        moderated = []
    rows = await uow.press_conferences.listed(viewer_id=watcher.account_id,
                                              moderated_brand_ids=moderated, page=page)
    return await load_conferences(uow, rows, now=utcnow())
