"""Create a live event: a person of the organisation sets its title, description, time, place,
hashtag and audience, and becomes its first organiser. At its end the event is archived by
itself (`archive_event`), a job queued now and kept in the database.

Guests take part in events; they do not organise them (an event speaks for the
organisation's people, and its `internal` audience is theirs). A `group` event is for groups
its creator may address, as a post to them would be (`post_status`: members their groups,
managers those they manage, communicators and admins any).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.domain.jobs import ArchiveEvent
from zwitscher.domain.roles import SPEAKERS, is_insider, parse_role
from zwitscher.domain.text import is_tag_name
from zwitscher.policies.events import AUDIENCES, GROUP
from zwitscher.services.mail_links import link_secret
from zwitscher.services.see_event import Person

MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_PLACE = 300
MAX_HASHTAG = 100
MAX_GROUPS = 20
LONGEST = timedelta(days=31)


@dataclass(frozen=True, slots=True)
class EventDraft:
    title: str
    starts_at: datetime
    ends_at: datetime
    hashtag: str
    description: str = ""
    place: str = ""
    audience: str = "public"
    group_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Checked:
    title: str
    description: str
    place: str
    hashtag: str


async def check_event(uow: UnitOfWork, draft: EventDraft, *,
                      event_id: int | None = None) -> Checked:
    """The draft's texts, trimmed, if it may be saved (`event_id`: the event it changes)."""
    title, description, place = (draft.title.strip(), draft.description.strip(),
                                 draft.place.strip())
    if not title:
        raise ValidationFailed("Please give the event a title")
    if len(title) > MAX_TITLE:
        raise ValidationFailed("The title has at most %(count)s characters", count=MAX_TITLE)
    if len(description) > MAX_DESCRIPTION:
        raise ValidationFailed("The description has at most %(count)s characters",
                               count=MAX_DESCRIPTION)
    if len(place) > MAX_PLACE:
        raise ValidationFailed("The place has at most %(count)s characters", count=MAX_PLACE)
    if draft.ends_at <= draft.starts_at:
        raise ValidationFailed("An event must end after it starts")
    if draft.ends_at <= utcnow():
        raise ValidationFailed("The end of the event has passed already")
    if draft.ends_at - draft.starts_at > LONGEST:
        raise ValidationFailed("An event lasts at most %(days)s days", days=LONGEST.days)
    hashtag = draft.hashtag.strip().removeprefix("#")
    if not hashtag:
        raise ValidationFailed("Please give the event a hashtag")
    if len(hashtag) > MAX_HASHTAG or not is_tag_name(hashtag):
        raise ValidationFailed("The hashtag may have letters, digits and underscores, not "
                               "digits only, and at most %(count)s of them", count=MAX_HASHTAG)
    if await uow.live_events.hashtag_taken(hashtag.lower(), except_id=event_id):
        raise ValidationFailed("Another event that is not archived has the hashtag "
                               "#%(hashtag)s", hashtag=hashtag)
    return Checked(title, description, place, hashtag)


async def create_event(uow: UnitOfWork, *, person: Person, draft: EventDraft) -> sa.Row:
    if person.account_id is None or not is_insider(person.role):
        raise Forbidden("Only people of the organisation organise events")
    checked = await check_event(uow, draft)
    group_ids = await _audience_groups(uow, person, draft)
    now = utcnow()
    event_id = await uow.live_events.add(
        created_by_id=person.account_id, title=checked.title, description=checked.description,
        place=checked.place, starts_at=draft.starts_at, ends_at=draft.ends_at,
        hashtag=checked.hashtag, hashtag_key=checked.hashtag.lower(), audience=draft.audience,
        created_at=now, updated_at=now, group_ids=group_ids, organiser_id=person.account_id)
    await uow.enqueue(ArchiveEvent(event_id=event_id), delay=draft.ends_at - now)
    # The key of the event's links (the wall's, invitations'), made now in this write: the
    # pages that show them only read.
    await link_secret(uow)
    return await uow.live_events.get(event_id)


async def _audience_groups(uow: UnitOfWork, person: Person, draft: EventDraft) -> list[int]:
    if draft.audience not in AUDIENCES:
        raise ValidationFailed("The audience is public, internal, group or invitees")
    group_ids = list(dict.fromkeys(draft.group_ids))
    if draft.audience != GROUP:
        if group_ids:
            raise ValidationFailed("Groups can only be given for an event of groups")
        return []
    if not group_ids:
        raise ValidationFailed("Choose at least one group for an event of groups")
    if len(group_ids) > MAX_GROUPS:
        raise ValidationFailed("At most %(max_groups)s groups", max_groups=MAX_GROUPS)
    if len(await uow.groups.get_many(group_ids)) != len(group_ids):
        raise NotFound("No such group")
    if parse_role(person.role) in SPEAKERS:
        return group_ids
    for group_id in group_ids:
        if not (await uow.groups.is_member(person.account_id, group_id)
                or await uow.groups.manages(person.account_id, group_id)):
            raise Forbidden("You can only make events for groups you belong to")
    return group_ids
