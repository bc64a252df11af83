"""Delete a story for good: its managers do, not its collaborators."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.services.read_story import Person, story_to_edit


async def delete_story(uow: UnitOfWork, *, person: Person, story_id: int) -> None:
    story, _ = await story_to_edit(uow, person=person, story_id=story_id, manage=True)
    await uow.stories.delete(story.id)
