"""Stories (`policies/stories.py` has the rules): the stories, their blocks, collaborators and
saves, and which of a story's posts its audience may see now."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import (
    accounts,
    statuses,
    stories,
    story_blocks,
    story_collaborators,
    story_saves,
)
from zwitscher.domain.ids import new_id
from zwitscher.policies.stories import shown_to_audience


class StoriesRepo(Repo):
    async def add(self, **values) -> int:
        story_id = new_id()
        await self.conn.execute(stories.insert().values(id=story_id, **values))
        return story_id

    async def get(self, story_id: int) -> sa.Row | None:
        return await self.one(stories.select().where(stories.c.id == story_id))

    async def update(self, story_id: int, **values) -> None:
        await self.conn.execute(stories.update().where(stories.c.id == story_id)
                                .values(**values))

    async def delete(self, story_id: int) -> None:
        """Blocks, collaborators and saves go by the foreign keys."""
        await self.conn.execute(stories.delete().where(stories.c.id == story_id))

    async def next_version(self, story_id: int, **values) -> int:
        """Count a save: the story's version goes one up, in the statement that writes it, so
        that two saves at once (PostgreSQL: the second waits for the first's row lock) never
        get the same number."""
        return await self.scalar(
            stories.update().where(stories.c.id == story_id)
            .values(version=stories.c.version + 1, **values).returning(stories.c.version))

    async def of_person(self, person_id: int, brand_ids: Collection[int]) -> list[sa.Row]:
        """The stories a person edits: their own, their brand accounts', those they are a
        collaborator of; the last changed first."""
        collaborating = sa.select(story_collaborators.c.story_id).where(
            story_collaborators.c.account_id == person_id)
        owners = [person_id, *brand_ids]
        return await self.all(
            stories.select().where(sa.or_(self.among(stories.c.owner_id, owners),
                                          stories.c.id.in_(collaborating)))
            .order_by(stories.c.updated_at.desc(), stories.c.id.desc()))

    async def blocks(self, story_id: int) -> list[sa.Row]:
        return await self.all(story_blocks.select().where(story_blocks.c.story_id == story_id)
                              .order_by(story_blocks.c.position))

    async def replace_blocks(self, story_id: int, blocks: Sequence[dict]) -> None:
        """The whole list, in order (each: kind, text, status_id, snapshot)."""
        await self.conn.execute(story_blocks.delete().where(story_blocks.c.story_id == story_id))
        if blocks:
            await self.conn.execute(story_blocks.insert(), [
                {"story_id": story_id, "position": position, **block}
                for position, block in enumerate(blocks)])

    async def shown_posts(self, status_ids: Collection[int], audience: str) -> dict[int, sa.Row]:
        """Of these posts, those every reader of an `audience` story may see now (with their
        author's username and when they were last edited), by id."""
        if not status_ids:
            return {}
        rows = await self.all(
            sa.select(statuses.c.id, statuses.c.edited_at, statuses.c.visibility,
                      accounts.c.username)
            .join(accounts, accounts.c.id == statuses.c.account_id)
            .where(self.among(statuses.c.id, status_ids), shown_to_audience(audience)))
        return {row.id: row for row in rows}

    async def collaborators(self, story_id: int) -> list[sa.Row]:
        """The collaborators' accounts, in the order they were added."""
        return await self.all(
            sa.select(accounts).join(story_collaborators,
                                     story_collaborators.c.account_id == accounts.c.id)
            .where(story_collaborators.c.story_id == story_id)
            .order_by(story_collaborators.c.added_at, accounts.c.id))

    async def is_collaborator(self, story_id: int, account_id: int) -> bool:
        return await self.exists(sa.select(story_collaborators.c.story_id).where(
            story_collaborators.c.story_id == story_id,
            story_collaborators.c.account_id == account_id))

    async def add_collaborator(self, story_id: int, account_id: int, *, now: datetime) -> None:
        await self.insert_ignoring_conflicts(story_collaborators, [
            {"story_id": story_id, "account_id": account_id, "added_at": now}])

    async def remove_collaborator(self, story_id: int, account_id: int) -> None:
        await self.conn.execute(story_collaborators.delete().where(
            story_collaborators.c.story_id == story_id,
            story_collaborators.c.account_id == account_id))

    async def count_collaborators(self, story_id: int) -> int:
        return await self.scalar(sa.select(sa.func.count()).where(
            story_collaborators.c.story_id == story_id))

    async def record_save(self, story_id: int, *, version: int, account_id: int,
                          now: datetime) -> None:
        await self.conn.execute(story_saves.insert().values(
            story_id=story_id, version=version, account_id=account_id, saved_at=now))

    async def saves_by_others(self, story_id: int, *, after: int, before: int,
                              account_id: int) -> list[sa.Row]:
        """The saves after version `after` and before `before` by anyone but `account_id`
        (with the saver's account, if it still exists), oldest first."""
        return await self.all(
            sa.select(story_saves.c.version, story_saves.c.saved_at, story_saves.c.account_id,
                      accounts.c.username, accounts.c.display_name)
            .outerjoin(accounts, accounts.c.id == story_saves.c.account_id)
            .where(story_saves.c.story_id == story_id, story_saves.c.version > after,
                   story_saves.c.version < before,
                   sa.or_(story_saves.c.account_id.is_(None),
                          story_saves.c.account_id != account_id))
            .order_by(story_saves.c.version))
