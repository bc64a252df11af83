"""The organisers' review of the posts an event held for consent (`post_to_event`): publish one
(once the participants' consent allows it: the rules are asked again, and a post that still
breaks them stays held, with the reason), or discard it (its attachments go). Of two
organisers deciding at once, one decides. The author is e-mailed the decision.

Held posts are for the organisers; an author sees their own (`held_posts`).
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher import i18n
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.policies.events import DISCARDED, HELD, POST_VISIBILITY, PUBLISHED
from zwitscher.services.check_event_consent import consent_problems, mentioned_ids, refusal
from zwitscher.services.delete_media import discard_media
from zwitscher.services.post_status import StatusDraft
from zwitscher.services.post_to_event import publish
from zwitscher.services.queue_mail import queue_mail
from zwitscher.services.see_event import Person, organise_event, see_event
from zwitscher.views.events import event_path


async def held_posts(uow: UnitOfWork, *, person: Person, event_id: int) -> list[sa.Row]:
    """The posts waiting for review: all of them for an organiser, one's own otherwise."""
    seen = await see_event(uow, person=person, event_id=event_id)
    return await uow.event_posts.held_of(
        event_id, state=HELD, author_id=None if seen.organiser else person.account_id)


async def _held(uow: UnitOfWork, person: Person, event_id: int,
                held_id: int) -> tuple[sa.Row, sa.Row]:
    event = (await organise_event(uow, person=person, event_id=event_id)).event
    held = await uow.event_posts.held(held_id)
    if held is None or held.event_id != event.id:
        raise NotFound()
    if held.state != HELD:
        raise ValidationFailed("This post was reviewed already")
    return event, held


def _media_ids(held: sa.Row) -> tuple[int, ...]:
    return tuple(int(media_id) for media_id in held.media_ids)


async def publish_held_post(uow: UnitOfWork, *, person: Person, event_id: int,
                            held_id: int) -> sa.Row:
    """The published status."""
    event, held = await _held(uow, person, event_id, held_id)
    if event.archived_at is not None:
        raise ValidationFailed("The event is archived: it takes no more posts")
    problems = await consent_problems(
        uow, event=event, author_id=held.author_id, text=held.text,
        mentioned=await mentioned_ids(uow, held.text), with_media=bool(held.media_ids))
    if problems:
        raise refusal(problems[0], event, uow.settings.base_url.rstrip("/"))
    await uow.media.release_held_post(held.id)
    # Addressed as the post was when it was held (`post_to_event.status_draft`).
    draft = StatusDraft(text=held.text, visibility=POST_VISIBILITY[event.audience],
                        spoiler_text=held.spoiler_text, sensitive=held.sensitive,
                        language=held.language,
                        group_ids=tuple(await uow.live_events.group_ids_of(event.id)),
                        media_ids=_media_ids(held))
    status = await publish(uow, event, author_id=held.author_id, draft=draft)
    if not await uow.event_posts.decide(held.id, from_state=HELD, state=PUBLISHED,
                                        decided_by_id=person.account_id, decided_at=utcnow(),
                                        status_id=status.id):
        raise ValidationFailed("This post was reviewed already")
    await _tell_author(uow, event, held, published=True)
    return status


async def discard_held_post(uow: UnitOfWork, *, person: Person, event_id: int,
                            held_id: int) -> None:
    event, held = await _held(uow, person, event_id, held_id)
    if not await uow.event_posts.decide(held.id, from_state=HELD, state=DISCARDED,
                                        decided_by_id=person.account_id, decided_at=utcnow()):
        raise ValidationFailed("This post was reviewed already")
    media = await uow.media.get_many(list(_media_ids(held)))
    await discard_media(uow, [row for row in media.values()
                              if row.status_id is None and row.event_held_post_id == held.id])
    await _tell_author(uow, event, held, published=False)


async def _tell_author(uow: UnitOfWork, event: sa.Row, held: sa.Row, *,
                       published: bool) -> None:
    user = await uow.accounts.user_for_account(held.author_id)
    account = await uow.accounts.get(held.author_id)
    if user is None or account is None:
        return
    await queue_mail(uow, kind="event_post_decided", to=user.email,
                     name=account.display_name or account.username,
                     language=i18n.supported(user.locale) or i18n.DEFAULT_LANGUAGE,
                     title=event.title, text=held.text, published=published,
                     path=event_path(event.id))
