"""Call a press conference: an author of a brand account sets its title, description, time
and audience (the public, or press groups). At its start the brand posts the announcement
that answers hang under (`open_press_conference`); at its end it closes by itself
(`end_press_conference`). Both are jobs queued now, kept in the database.

Authors whose brand posts need approval do not call press conferences (nor answer in them):
the announcement and the answers are the brand's posts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.domain.jobs import EndPressConference, OpenPressConference
from zwitscher.policies.brands import brand_grant
from zwitscher.policies.press_conferences import AUDIENCES, GROUPS, SCHEDULED
from zwitscher.services.open_press_conference import open_press_conference

MAX_TITLE = 200
MAX_DESCRIPTION = 2000
MAX_GROUPS = 20
LONGEST = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class ConferenceDraft:
    brand_id: int
    title: str
    ends_at: datetime
    description: str = ""
    # None: at once.
    starts_at: datetime | None = None
    audience: str = "public"
    group_ids: tuple[int, ...] = ()


async def posts_without_approval(uow: UnitOfWork, *, person_id: int, role: str | None,
                                 brand_id: int) -> bool:
    """Whether the person posts as the brand without another author's approval (403 for one
    who may not post as it at all)."""
    grant = await brand_grant(uow, person_id=person_id, role=role, brand_id=brand_id)
    return not grant.needs_approval


async def call_press_conference(uow: UnitOfWork, *, person_id: int, role: str | None,
                                draft: ConferenceDraft) -> sa.Row:
    if not await posts_without_approval(uow, person_id=person_id, role=role,
                                        brand_id=draft.brand_id):
        raise Forbidden("Your posts as this brand need approval: another author calls the "
                        "press conference")
    title = draft.title.strip()
    if not title:
        raise ValidationFailed("Please give the press conference a title")
    if len(title) > MAX_TITLE:
        raise ValidationFailed("The title has at most %(count)s characters", count=MAX_TITLE)
    description = draft.description.strip()
    if len(description) > MAX_DESCRIPTION:
        raise ValidationFailed("The description has at most %(count)s characters",
                               count=MAX_DESCRIPTION)
    now = utcnow()
    starts_at = max(draft.starts_at or now, now)
    if draft.ends_at <= starts_at:
        raise ValidationFailed("A press conference must end after it starts")
    if draft.ends_at - starts_at > LONGEST:
        raise ValidationFailed("A press conference lasts at most %(days)s days",
                               days=LONGEST.days)
    group_ids = await _audience_groups(uow, draft)
    conference_id = await uow.press_conferences.add(
        brand_id=draft.brand_id, created_by_id=person_id, title=title,
        description=description, starts_at=starts_at, ends_at=draft.ends_at,
        audience=draft.audience, state=SCHEDULED, created_at=now, group_ids=group_ids)
    await uow.enqueue(EndPressConference(conference_id=conference_id),
                      delay=draft.ends_at - now)
    if starts_at <= now:
        await open_press_conference(uow, conference_id=conference_id)
    else:
        await uow.enqueue(OpenPressConference(conference_id=conference_id),
                          delay=starts_at - now)
    return await uow.press_conferences.get(conference_id)


async def _audience_groups(uow: UnitOfWork, draft: ConferenceDraft) -> list[int]:
    if draft.audience not in AUDIENCES:
        raise ValidationFailed("The audience is public or groups")
    group_ids = list(dict.fromkeys(draft.group_ids))
    if draft.audience != GROUPS:
        if group_ids:
            raise ValidationFailed("Groups can only be given for a press-only conference")
        return []
    if not group_ids:
        raise ValidationFailed("Choose at least one group for a press-only conference")
    if len(group_ids) > MAX_GROUPS:
        raise ValidationFailed("At most %(max_groups)s groups", max_groups=MAX_GROUPS)
    if len(await uow.groups.get_many(group_ids)) != len(group_ids):
        raise NotFound("No such group")
    return group_ids
