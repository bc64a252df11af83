"""Press conferences and the groups they are for (`policies/press_conferences.py` has the
rules; the questions are `press_questions.py`'s)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import groups, press_conference_groups, press_conferences
from zwitscher.domain.ids import new_id
from zwitscher.policies.press_conferences import in_audience_groups, watchable_by


class PressConferencesRepo(Repo):
    async def add(self, *, group_ids: list[int], **values) -> int:
        conference_id = new_id()
        await self.conn.execute(press_conferences.insert().values(id=conference_id, **values))
        if group_ids:
            await self.conn.execute(press_conference_groups.insert(), [
                {"conference_id": conference_id, "group_id": group_id}
                for group_id in group_ids])
        return conference_id

    async def get(self, conference_id: int) -> sa.Row | None:
        return await self.one(press_conferences.select()
                              .where(press_conferences.c.id == conference_id))

    async def update(self, conference_id: int, *, from_state: str | None = None,
                     **values) -> bool:
        """Change a conference; with `from_state`, only while it is in that state (two jobs
        or an early end at the same moment: one of them does it)."""
        query = press_conferences.update().where(press_conferences.c.id == conference_id)
        if from_state is not None:
            query = query.where(press_conferences.c.state == from_state)
        return (await self.conn.execute(query.values(**values))).rowcount > 0

    async def lock(self, conference_id: int) -> None:
        """Hold the conference row until the commit (PostgreSQL; SQLite has one writer
        anyway): one question at a time is checked against the flood rules."""
        await self.conn.execute(sa.select(press_conferences.c.id)
                                .where(press_conferences.c.id == conference_id)
                                .with_for_update())

    async def groups_of(self, conference_id: int) -> list[sa.Row]:
        """The groups a press-only conference is for, by name."""
        return await self.all(
            sa.select(groups.c.id, groups.c.name)
            .join(press_conference_groups, press_conference_groups.c.group_id == groups.c.id)
            .where(press_conference_groups.c.conference_id == conference_id)
            .order_by(groups.c.name))

    async def in_audience(self, conference_id: int, account_id: int) -> bool:
        """A member of one of the conference's groups, or of a group below one of them."""
        return await self.exists(sa.select(press_conferences.c.id).where(
            press_conferences.c.id == conference_id, in_audience_groups(account_id)))

    async def of_brand(self, brand_id: int, *, viewer_id: int | None, moderates: bool,
                       page: Page) -> list[sa.Row]:
        """A brand's conferences the viewer may watch, newest first."""
        query = press_conferences.select().where(
            press_conferences.c.brand_id == brand_id,
            watchable_by(viewer_id, moderates_brand=moderates))
        return newest_first(await self.all(apply_page(query, press_conferences.c.id, page)),
                            page)

    async def listed(self, *, viewer_id: int | None, moderated_brand_ids: list[int] | None,
                     page: Page) -> list[sa.Row]:
        """Every conference the viewer may watch, newest first: of every brand for
        `moderated_brand_ids` None (an admin), else those watchable and those of the brands
        they moderate."""
        condition = sa.true() if moderated_brand_ids is None else sa.or_(
            watchable_by(viewer_id), self.among(press_conferences.c.brand_id,
                                                moderated_brand_ids))
        query = press_conferences.select().where(condition)
        return newest_first(await self.all(apply_page(query, press_conferences.c.id, page)),
                            page)
