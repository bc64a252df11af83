"""A story's managers choose who edits it with them: people of the organisation (never
guests, who may not read what an internal story holds, nor brand accounts, which are not
people). A collaborator may also leave a story."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.domain.roles import is_insider
from zwitscher.policies.stories import MAX_COLLABORATORS
from zwitscher.services.read_story import MANAGER, Person, story_to_edit


async def _person(uow: UnitOfWork, wanted: str) -> sa.Row:
    """An account by its id or username (`@name` as people write it)."""
    wanted = wanted.strip()
    account_id = parse_id(wanted)
    if account_id is not None:
        account = await uow.accounts.get(account_id)
    else:
        name = wanted.removeprefix("@").split("@")[0][:100]
        account = await uow.accounts.shown_by_username(name) if name else None
    user = await uow.accounts.user_for_account(account.id) if account is not None else None
    if account is None or account.deleted_at is not None or user is None:
        raise ValidationFailed("No one has that username")
    if not is_insider(user.role) or user.disabled:
        raise ValidationFailed("Only people of the organisation can edit stories together")
    return account


async def add_story_collaborator(uow: UnitOfWork, *, person: Person, story_id: int,
                                 who: str) -> sa.Row:
    story, _ = await story_to_edit(uow, person=person, story_id=story_id, manage=True)
    account = await _person(uow, who)
    if account.id == story.owner_id:
        raise ValidationFailed("The story's owner edits it already")
    if await uow.stories.count_collaborators(story.id) >= MAX_COLLABORATORS:
        raise ValidationFailed("A story can have at most %(max)s collaborators",
                               max=MAX_COLLABORATORS)
    await uow.stories.add_collaborator(story.id, account.id, now=utcnow())
    return account


async def remove_story_collaborator(uow: UnitOfWork, *, person: Person, story_id: int,
                                    account_id: int) -> None:
    """Its managers remove anyone; a collaborator only themselves."""
    story, access = await story_to_edit(uow, person=person, story_id=story_id)
    if access != MANAGER and account_id != person.account_id:
        raise Forbidden("Only the story's owner may do this")
    await uow.stories.remove_collaborator(story.id, account_id)
