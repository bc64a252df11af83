"""Find a story for someone: to edit (its managers and collaborators) or to read (anyone of its
audience once it is published; its editors before, as a preview), and the stories a person
edits. The rules are `policies/stories.py`'s.

A story that someone may not read is "not found", whether or not it exists.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, NotFound
from zwitscher.policies.brands import brand_grant, brands_to_post_as
from zwitscher.policies.stories import in_audience
from zwitscher.views.stories import StoryView, load_story

MANAGER = "manager"
COLLABORATOR = "collaborator"


@dataclass(frozen=True, slots=True)
class Person:
    """Who acts on a story: a signed-in person (also when their token acts for a brand
    account) and their role."""

    account_id: int
    role: str | None


async def access_to(uow: UnitOfWork, story: sa.Row, person: Person | None) -> str | None:
    """MANAGER, COLLABORATOR, or None for anyone else."""
    if person is None:
        return None
    if story.owner_id == person.account_id:
        return MANAGER
    owner = await uow.accounts.get(story.owner_id)
    if owner is not None and owner.kind == "brand":
        try:
            await brand_grant(uow, person_id=person.account_id, role=person.role,
                              brand_id=owner.id)
            return MANAGER
        except (Forbidden, NotFound):
            pass
    if await uow.stories.is_collaborator(story.id, person.account_id):
        return COLLABORATOR
    return None


async def story_to_edit(uow: UnitOfWork, *, person: Person, story_id: int,
                        manage: bool = False) -> tuple[sa.Row, str]:
    """The story and the person's part in it; `manage`: only its managers may (publishing,
    collaborators, deleting)."""
    story = await uow.stories.get(story_id)
    access = await access_to(uow, story, person) if story is not None else None
    if access is None:
        raise NotFound("No such story")
    if manage and access != MANAGER:
        raise Forbidden("Only the story's owner may do this")
    return story, access


async def story_to_read(uow: UnitOfWork, *, reader: Person | None,
                        story_id: int) -> tuple[StoryView, str | None]:
    """The story as its readers see it, and the reader's part in it (None: a reader)."""
    story = await uow.stories.get(story_id)
    if story is None:
        raise NotFound("No such story")
    access = await access_to(uow, story, reader)
    readable = story.published_at is not None and in_audience(
        story.audience, signed_in=reader is not None, role=reader.role if reader else None)
    if access is None and not readable:
        raise NotFound("No such story")
    return await load_story(uow, story), access


async def my_stories(uow: UnitOfWork, *, person: Person) -> list[tuple[sa.Row, str]]:
    """The stories the person edits (own, their brand accounts', collaborating), each with
    their part in it."""
    brands = {brand.id for brand in await brands_to_post_as(
        uow, person_id=person.account_id, role=person.role)}
    rows = await uow.stories.of_person(person.account_id, brands)
    return [(row, MANAGER if row.owner_id == person.account_id or row.owner_id in brands
             else COLLABORATOR) for row in rows]
