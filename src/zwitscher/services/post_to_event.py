"""Post from a live event: someone who takes part writes through the event (its page, or its
API). The post carries the event's hashtag (added when the text lacks it), goes to the event's
audience (`policies/events.py: POST_VISIBILITY`) and is in the event's timeline.

A post that breaks the event's consent rules (`check_event_consent`) is not published: it is
held for the organisers' review with the reasons (which participant, which consent), and its
author is told so at once. Everything `post_status` refuses is refused first, so a held post
is one that could be published as it is once the consent allows it.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.text import hashtags
from zwitscher.policies.events import DECLINED, GROUP, HELD, INVITEES, POST_VISIBILITY, takes_posts
from zwitscher.services.check_event_consent import (
    ConsentProblem,
    consent_problems,
    mentioned_ids,
)
from zwitscher.services.post_status import StatusDraft, check_status_draft, post_status
from zwitscher.services.see_event import Person, take_part


@dataclass(frozen=True, slots=True)
class EventPostDraft:
    text: str
    spoiler_text: str = ""
    sensitive: bool | None = None
    language: str | None = None
    media_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Posted:
    """Either the published status, or the held post and why it is held."""

    status: sa.Row | None
    held: sa.Row | None
    problems: tuple[ConsentProblem, ...] = ()


def with_hashtag(text: str, hashtag: str) -> str:
    text = text.strip()
    if hashtag.lower() in (tag.lower() for tag in hashtags(text)):
        return text
    return f"{text}\n\n#{hashtag}" if text else f"#{hashtag}"


async def status_draft(uow: UnitOfWork, event: sa.Row, draft: EventPostDraft) -> StatusDraft:
    """The status a post from the event becomes: addressed to the event's audience."""
    group_ids = tuple(await uow.live_events.group_ids_of(event.id)) if event.audience == GROUP \
        else ()
    return StatusDraft(text=with_hashtag(draft.text, event.hashtag),
                       visibility=POST_VISIBILITY[event.audience],
                       spoiler_text=draft.spoiler_text, sensitive=draft.sensitive,
                       language=draft.language, group_ids=group_ids,
                       media_ids=tuple(draft.media_ids))


async def publish(uow: UnitOfWork, event: sa.Row, *, author_id: int, draft: StatusDraft,
                  application_id: int | None = None) -> sa.Row:
    """Post the status of the event (its consent checked) and note it as the event's."""
    status = await post_status(uow, author_id=author_id, draft=draft,
                               application_id=application_id)
    await uow.event_posts.add(event_id=event.id, status_id=status.id)
    if event.audience == INVITEES:
        # A message to the participants: they are its addressees, not written into the text.
        addressees = set(await uow.live_events.organiser_ids(event.id)) | set(
            await uow.event_participants.account_ids(event.id, except_answer=DECLINED))
        typed = (await uow.statuses.mentions_of([status.id])).get(status.id, [])
        await uow.statuses.set_mentions(
            status.id, [*typed, *sorted(addressees - set(typed) - {author_id})])
    return status


async def post_to_event(uow: UnitOfWork, *, person: Person, event_id: int,
                        draft: EventPostDraft, application_id: int | None = None) -> Posted:
    seen = await take_part(uow, person=person, event_id=event_id)
    event = seen.event
    if not takes_posts(event, utcnow()):
        raise ValidationFailed("The event is over: it takes no more posts")
    status = await status_draft(uow, event, draft)
    media_ids = await check_status_draft(uow, author_id=person.account_id, draft=status,
                                         check_consent=False)
    problems = await consent_problems(
        uow, event=event, author_id=person.account_id, text=status.text,
        mentioned=await mentioned_ids(uow, status.text), with_media=bool(media_ids))
    if not problems:
        return Posted(await publish(uow, event, author_id=person.account_id, draft=status,
                                    application_id=application_id), None)
    held_id = await uow.event_posts.hold(
        event_id=event.id, author_id=person.account_id, text=status.text,
        spoiler_text=status.spoiler_text, sensitive=bool(status.sensitive),
        language=status.language, media_ids=[str(media_id) for media_id in media_ids],
        reasons=[problem.data() for problem in problems], state=HELD, created_at=utcnow())
    # Its uploads wait with it: neither another post nor the cleaning of abandoned ones takes
    # them while the organisers decide.
    await uow.media.reserve_for_held_post(held_id, list(media_ids))
    return Posted(None, await uow.event_posts.held(held_id), tuple(problems))
