"""Turn an archived event into a story, with one action of an organiser: a story (unpublished:
its editor looks it over and publishes it, `publish_story`) with the event's title, a text of
its time, place and description, and the posts of its timeline in the order they were
posted.

The story's audience is the public for a public event and the organisation for every other
(stories have no other audiences); a post goes in only if every reader of the story may see it
(`policies/stories.py`), so posts made for a group or for the invitees stay out. Asking again
answers with the story made before, while it exists.
"""

from __future__ import annotations

from zwitscher import i18n
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import ValidationFailed
from zwitscher.policies.events import PUBLIC
from zwitscher.policies.stories import (
    INTERNAL,
    MAX_BLOCKS,
    MAX_SUMMARY,
    POST,
    TEXT,
    visibility_fits,
)
from zwitscher.policies.stories import PUBLIC as PUBLIC_STORY
from zwitscher.services.create_story import create_story
from zwitscher.services.read_story import Person as StoryPerson
from zwitscher.services.save_story import BlockDraft, StoryDraft, save_story
from zwitscher.services.see_event import Person, organise_event


async def turn_event_into_story(uow: UnitOfWork, *, person: Person, event_id: int,
                                language: str) -> int:
    """The story's id. `language`: the organiser's, for the text about the event's time."""
    event = (await organise_event(uow, person=person, event_id=event_id)).event
    if event.archived_at is None:
        raise ValidationFailed("Only an archived event becomes a story: end it first")
    if event.story_id is not None and await uow.stories.get(event.story_id) is not None:
        return event.story_id
    audience = PUBLIC_STORY if event.audience == PUBLIC else INTERNAL
    editor = StoryPerson(person.account_id, person.role)
    story_id = await create_story(uow, person=editor, title=event.title,
                                  summary=event.description[:MAX_SUMMARY], audience=audience)
    fmt = i18n.Formatter(language)
    about = " · ".join(part for part in (
        f"{fmt.minute(event.starts_at)} – {fmt.minute(event.ends_at)} UTC", event.place,
        f"#{event.hashtag}") if part)
    rows = await uow.event_posts.oldest_first(event, person.account_id, limit=MAX_BLOCKS * 4)
    posts = [row for row in rows if visibility_fits(audience, row.visibility)][:MAX_BLOCKS - 1]
    blocks = (BlockDraft(TEXT, about),
              *(BlockDraft(POST, post=str(row.id)) for row in posts))
    await save_story(uow, person=editor, story_id=story_id,
                     draft=StoryDraft(base_version=1, blocks=blocks))
    await uow.live_events.update(event.id, story_id=story_id)
    return story_id
