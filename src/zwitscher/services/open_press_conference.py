"""Open a press conference at its start: the brand posts the announcement (signed with the
author who called it), for the public or addressed to the conference's groups, and the
conference takes questions from then until its end. Answers are replies to the announcement.

Run by the job queued for the start (or at once for a conference that starts now). A
conference ended early, or opened already, is left as it is; one whose groups were all
deleted meanwhile has nobody to hold it for and ends.
"""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain import text as text_rules
from zwitscher.domain.channels import PressEvent
from zwitscher.domain.clock import utcnow
from zwitscher.domain.visibility import Visibility
from zwitscher.policies.press_conferences import ENDED, GROUPS, OPEN, SCHEDULED
from zwitscher.services.post_status import StatusDraft, post_status
from zwitscher.services.tell_press_conference import tell
from zwitscher.views.press_conferences import conference_path

# What the announcement's link counts for, as Mastodon counts every link.
LINK_LENGTH = 23


def announcement_text(*, title: str, description: str, url: str, limit: int) -> str:
    """The title, as much of the description as fits, and the link to the conference."""
    room = limit - text_rules.character_count(title) - LINK_LENGTH - 4
    if text_rules.character_count(description) > room:
        description = description[:max(room - 1, 0)].rstrip() + "…" if room > 1 else ""
    return "\n\n".join(part for part in (title, description, url) if part)


async def open_press_conference(uow: UnitOfWork, *, conference_id: int) -> None:
    conference = await uow.press_conferences.get(conference_id)
    if conference is None or conference.state != SCHEDULED:
        return
    now = utcnow()
    group_ids = [row.id for row in await uow.press_conferences.groups_of(conference.id)]
    if conference.audience == GROUPS and not group_ids or conference.ends_at <= now:
        await uow.press_conferences.update(conference.id, from_state=SCHEDULED, state=ENDED,
                                           ended_at=now)
        return
    text = announcement_text(
        title=conference.title, description=conference.description,
        url=uow.settings.base_url.rstrip("/") + conference_path(conference.id),
        limit=uow.settings.max_characters)
    draft = StatusDraft(text=text, visibility=Visibility.GROUP if conference.audience == GROUPS
                        else Visibility.PUBLIC, group_ids=tuple(group_ids))
    status = await post_status(uow, author_id=conference.brand_id,
                               posted_by_id=conference.created_by_id, draft=draft)
    await uow.press_conferences.update(conference.id, from_state=SCHEDULED, state=OPEN,
                                       announcement_id=status.id)
    tell(uow, conference.id, PressEvent.OPENED,
         {"id": str(conference.id), "announcement_id": str(status.id)})
