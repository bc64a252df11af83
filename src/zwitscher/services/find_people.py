"""The people list of the administration console: admins search and filter everyone who signs
in here (brand accounts are not people and are listed with the brands)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from zwitscher.db.repos.people import STATUSES, PeopleFilter
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden
from zwitscher.domain.roles import Actor, parse_role

PAGE_SIZE = 50
# "Last active" choices: seen within the days given, or (negative) not for that many days.
ACTIVITY = {"week": 7, "month": 30, "dormant": -90}


@dataclass(frozen=True, slots=True)
class PeopleQuery:
    """What the console's filter form asks for; anything unknown is ignored, not an error
    (a filter link from an old page must still open the list)."""

    text: str = ""
    role: str = ""
    group_id: int | None = None
    status: str = ""
    activity: str = ""
    page: int = 1


@dataclass(frozen=True, slots=True)
class PeopleFound:
    people: list[sa.Row]
    more: bool


async def find_people(uow: UnitOfWork, *, actor: Actor, query: PeopleQuery) -> PeopleFound:
    if not actor.administers:
        raise Forbidden("Only admins may list people")
    days = ACTIVITY.get(query.activity)
    role = parse_role(query.role)
    chosen = PeopleFilter(
        text=query.text.strip()[:200], role=role.value if role else None,
        group_id=query.group_id, status=query.status if query.status in STATUSES else None,
        active_since=utcnow() - timedelta(days=days) if days and days > 0 else None,
        inactive_since=utcnow() - timedelta(days=-days) if days and days < 0 else None)
    page = max(1, min(query.page, 10_000))
    rows = await uow.people.page(chosen, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1)
    return PeopleFound(rows[:PAGE_SIZE], more=len(rows) > PAGE_SIZE)
