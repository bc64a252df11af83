"""Announcements: notices from the organisation's admins to everyone who signs in.

Admins (and owners) create, change and delete them; each change is audited. The text is
composed like a status (links, mentions, hashtags). An announcement shows between `starts_at`
(or its publication) and `ends_at` (or for good) while it is published. Open home streams hear
it when it begins (a job, so one scheduled for later is announced then, and one made from the
command line reaches streams too), and hear it go when it is unpublished, deleted or ends.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import sqlalchemy as sa

from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import ANNOUNCEMENTS_CHANNEL, Event
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.domain.jobs import ExpireAnnouncement, PublishAnnouncement
from zwitscher.domain.roles import Actor
from zwitscher.services.compose_text import compose_text
from zwitscher.services.record_audit import record_audit

MAX_LENGTH = 5000


@dataclass(frozen=True, slots=True)
class AnnouncementDraft:
    text: str
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    all_day: bool = False
    published: bool = True


def _check(actor: Actor, draft: AnnouncementDraft) -> None:
    if not actor.administers:
        raise Forbidden("Only admins may manage announcements")
    if not draft.text.strip():
        raise ValidationFailed("Text can't be blank")
    if len(draft.text) > MAX_LENGTH:
        raise ValidationFailed("Text is too long (at most %(max_length)s characters)",
                               max_length=MAX_LENGTH)
    begins = draft.starts_at or utcnow()
    if draft.ends_at is not None and draft.ends_at <= begins:
        raise ValidationFailed("ends_at must be after starts_at (and in the future)")
    if draft.all_day and (draft.starts_at is None or draft.ends_at is None):
        raise ValidationFailed("An all-day announcement needs starts_at and ends_at")


async def _values(uow: UnitOfWork, draft: AnnouncementDraft, current: sa.Row | None) -> dict:
    composed = await compose_text(uow, draft.text)
    published_at = current.published_at if current is not None else None
    if draft.published and published_at is None:
        published_at = utcnow()
    return dict(text=draft.text, content_html=composed.html,
                mentioned_ids=composed.mentioned_ids, tags=composed.tags,
                starts_at=draft.starts_at, ends_at=draft.ends_at, all_day=draft.all_day,
                published=draft.published, published_at=published_at)


async def _schedule(uow: UnitOfWork, announcement_id: int, draft: AnnouncementDraft) -> None:
    if not draft.published:
        return
    now = utcnow()
    begins = max(draft.starts_at or now, now)
    await uow.enqueue(PublishAnnouncement(announcement_id=announcement_id), delay=begins - now)
    if draft.ends_at is not None:
        await uow.enqueue(ExpireAnnouncement(announcement_id=announcement_id),
                          delay=max(draft.ends_at - now, timedelta()))


async def create_announcement(uow: UnitOfWork, *, actor: Actor,
                              draft: AnnouncementDraft) -> sa.Row:
    _check(actor, draft)
    announcement_id = await uow.announcements.insert(**await _values(uow, draft, None))
    await _schedule(uow, announcement_id, draft)
    await record_audit(uow, actor=actor, action="announcement.created",
                       target_type="announcement", target_id=announcement_id,
                       text=draft.text[:200], published=draft.published)
    return await uow.announcements.get(announcement_id)


async def update_announcement(uow: UnitOfWork, *, actor: Actor, announcement_id: int,
                              changes: dict) -> sa.Row:
    """`changes`: the fields of `AnnouncementDraft` to change; the rest stay."""
    current = await _existing(uow, actor, announcement_id)
    draft = replace(AnnouncementDraft(current.text, current.starts_at, current.ends_at,
                                      current.all_day, current.published), **changes)
    _check(actor, draft)
    await uow.announcements.update(announcement_id, **await _values(uow, draft, current))
    if current.published and not draft.published:
        withdraw(uow, announcement_id)
    await _schedule(uow, announcement_id, draft)
    await record_audit(uow, actor=actor, action="announcement.updated",
                       target_type="announcement", target_id=announcement_id,
                       changed=sorted(changes))
    return await uow.announcements.get(announcement_id)


async def delete_announcement(uow: UnitOfWork, *, actor: Actor, announcement_id: int) -> None:
    await _existing(uow, actor, announcement_id)
    await uow.announcements.delete(announcement_id)
    withdraw(uow, announcement_id)
    await record_audit(uow, actor=actor, action="announcement.deleted",
                       target_type="announcement", target_id=announcement_id)


async def end_announcement(uow: UnitOfWork, *, actor: Actor, announcement_id: int) -> sa.Row:
    """Stop showing an announcement that is showing now; it stays listed as ended."""
    await _existing(uow, actor, announcement_id)
    now = utcnow()
    if await uow.announcements.get_active(announcement_id, now) is None:
        raise ValidationFailed("The announcement is not showing")
    await uow.announcements.update(announcement_id, ends_at=now)
    withdraw(uow, announcement_id)
    await record_audit(uow, actor=actor, action="announcement.ended",
                       target_type="announcement", target_id=announcement_id)
    return await uow.announcements.get(announcement_id)


async def all_announcements(uow: UnitOfWork, *, actor: Actor, limit: int = 200) -> list[sa.Row]:
    """The newest `limit` announcements, drafts, scheduled and ended ones too."""
    if not actor.administers:
        raise Forbidden("Only admins may manage announcements")
    return await uow.announcements.page(Page(limit=limit))

def withdraw(uow: UnitOfWork, announcement_id: int) -> None:
    """Tell open streams the announcement is gone (once the transaction commits)."""
    uow.publish(ANNOUNCEMENTS_CHANNEL, Event.ANNOUNCEMENT_DELETE, str(announcement_id))


async def _existing(uow: UnitOfWork, actor: Actor, announcement_id: int) -> sa.Row:
    if not actor.administers:
        raise Forbidden("Only admins may manage announcements")
    current = await uow.announcements.get(announcement_id)
    if current is None:
        raise NotFound()
    return current
