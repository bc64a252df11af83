"""The live events a reader sees, in three lists: upcoming (and running, soonest first), their
own (organised or taken part in, newest first) and archived (newest first)."""

from __future__ import annotations

from zwitscher.db.pagination import Page
from zwitscher.db.repos.events import ARCHIVED, MINE, UPCOMING
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import ValidationFailed
from zwitscher.services.see_event import Person
from zwitscher.views.events import EventView, load_events

KINDS = (UPCOMING, MINE, ARCHIVED)


async def list_events(uow: UnitOfWork, *, person: Person, kind: str,
                      page: Page) -> list[EventView]:
    if kind not in KINDS:
        raise ValidationFailed("The list is upcoming, mine or archived")
    now = utcnow()
    rows = await uow.live_events.listed(viewer_id=person.account_id, kind=kind, now=now, page=page)
    return await load_events(uow, rows, now=now)
