"""Publish a story (its page, embed, feed and exports open to its audience) or take it back
(they answer "not found" again; its editors keep it). Its managers do this, not its
collaborators."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.services.read_story import Person, story_to_edit


async def publish_story(uow: UnitOfWork, *, person: Person, story_id: int) -> None:
    story, _ = await story_to_edit(uow, person=person, story_id=story_id, manage=True)
    if story.published_at is None:
        await uow.stories.update(story.id, published_at=utcnow())


async def unpublish_story(uow: UnitOfWork, *, person: Person, story_id: int) -> None:
    story, _ = await story_to_edit(uow, person=person, story_id=story_id, manage=True)
    await uow.stories.update(story.id, published_at=None)
