"""Live events, their groups and organisers (`policies/events.py` has the rules; participants
are `event_participants.py`'s, posts `event_posts.py`'s)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import (
    event_groups,
    event_organisers,
    event_participants,
    events,
    groups,
)
from zwitscher.domain.ids import new_id
from zwitscher.policies.events import sees_event

e = events
# Kinds of list (`list_events`): those still to come or running, the reader's own (organised
# or taken part in), and those archived.
UPCOMING = "upcoming"
MINE = "mine"
ARCHIVED = "archived"


class EventsRepo(Repo):
    async def add(self, *, group_ids: list[int], organiser_id: int, **values) -> int:
        event_id = new_id()
        await self.conn.execute(e.insert().values(id=event_id, **values))
        if group_ids:
            await self.conn.execute(event_groups.insert(), [
                {"event_id": event_id, "group_id": group_id} for group_id in group_ids])
        await self.add_organiser(event_id, organiser_id, now=values["created_at"])
        return event_id

    async def get(self, event_id: int) -> sa.Row | None:
        return await self.one(e.select().where(e.c.id == event_id))

    async def update(self, event_id: int, *, live_only: bool = False, **values) -> bool:
        """Change an event; with `live_only`, only while it is not archived (the archiving
        job and an organiser at the same moment: one of them does it)."""
        query = e.update().where(e.c.id == event_id)
        if live_only:
            query = query.where(e.c.archived_at.is_(None))
        return (await self.conn.execute(query.values(**values))).rowcount > 0

    async def hashtag_taken(self, key: str, *, except_id: int | None = None) -> bool:
        query = sa.select(e.c.id).where(e.c.hashtag_key == key)
        if except_id is not None:
            query = query.where(e.c.id != except_id)
        return await self.exists(query)

    async def live_with_tags(self, tags: Collection[str]) -> list[sa.Row]:
        """The events not archived whose hashtag is one of `tags` (any case)."""
        keys = sorted({tag.lower() for tag in tags})
        if not keys:
            return []
        return await self.all(e.select().where(e.c.hashtag_key.in_(keys)))

    async def groups_of(self, event_id: int) -> list[sa.Row]:
        return await self.all(
            sa.select(groups.c.id, groups.c.name)
            .join(event_groups, event_groups.c.group_id == groups.c.id)
            .where(event_groups.c.event_id == event_id).order_by(groups.c.name))

    async def group_ids_of(self, event_id: int) -> list[int]:
        return await self.scalars(sa.select(event_groups.c.group_id)
                                  .where(event_groups.c.event_id == event_id))

    # Organisers.

    async def add_organiser(self, event_id: int, account_id: int, *, now: datetime) -> bool:
        return bool(await self.insert_ignoring_conflicts(event_organisers, [
            {"event_id": event_id, "account_id": account_id, "created_at": now}]))

    async def remove_organiser(self, event_id: int, account_id: int) -> bool:
        result = await self.conn.execute(event_organisers.delete().where(
            event_organisers.c.event_id == event_id,
            event_organisers.c.account_id == account_id))
        return result.rowcount > 0

    async def is_organiser(self, event_id: int, account_id: int | None) -> bool:
        if account_id is None:
            return False
        return await self.exists(sa.select(event_organisers.c.event_id).where(
            event_organisers.c.event_id == event_id,
            event_organisers.c.account_id == account_id))

    async def organiser_ids(self, event_id: int) -> list[int]:
        return await self.scalars(sa.select(event_organisers.c.account_id)
                                  .where(event_organisers.c.event_id == event_id))

    # Who sees what.

    async def sees(self, event_id: int, viewer_id: int | None) -> bool:
        return await self.exists(sa.select(e.c.id).where(e.c.id == event_id,
                                                         sees_event(viewer_id)))

    async def listed(self, *, viewer_id: int | None, kind: str, now: datetime,
                     page: Page) -> list[sa.Row]:
        """The events the viewer sees, of one kind: upcoming ones soonest first (paged by
        offset), the others newest first."""
        query = e.select().where(sees_event(viewer_id))
        if kind == UPCOMING:
            query = query.where(e.c.archived_at.is_(None), e.c.ends_at > now)
            return await self.all(query.order_by(e.c.starts_at, e.c.id)
                                  .offset(page.offset).limit(page.limit))
        if kind == ARCHIVED:
            query = query.where(sa.or_(e.c.archived_at.is_not(None), e.c.ends_at <= now))
        elif viewer_id is not None:
            mine = sa.or_(
                sa.exists().where(event_organisers.c.event_id == e.c.id,
                                  event_organisers.c.account_id == viewer_id),
                sa.exists().where(event_participants.c.event_id == e.c.id,
                                  event_participants.c.account_id == viewer_id))
            query = query.where(mine)
        else:
            return []
        return newest_first(await self.all(apply_page(query, e.c.id, page)), page)
