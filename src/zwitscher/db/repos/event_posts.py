"""The posts of live events: those made through an event, the event's timeline and wall (the
posts with its hashtag, as `policies/events.py` has them), the posts held for review, and the
posts hidden from a wall."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import (
    event_held_posts,
    event_posts,
    event_wall_hidden,
    status_tags,
    statuses,
    tags,
)
from zwitscher.domain.ids import new_id
from zwitscher.policies.events import shown_on_wall, tagged_window, takes_part
from zwitscher.policies.visibility import hidden_by_viewer, limited_for, visible_to

h = event_held_posts
# What one read of a timeline or a queue brings at most.
MOST_HELD = 500


def _timeline(event: sa.Row, viewer_id: int | None, *, wall: bool) -> sa.Select:
    """The event's timeline as `viewer_id` reads it, or (`wall`) as its wall shows it."""
    tagged = (sa.select(status_tags.c.status_id)
              .join(tags, tags.c.id == status_tags.c.tag_id)
              .where(tags.c.name_lower == event.hashtag.lower()))
    query = statuses.select().where(
        statuses.c.id.in_(tagged), tagged_window(event),
        takes_part(statuses.c.account_id, event.id, event.audience))
    if wall:
        return query.where(shown_on_wall(event), ~limited_for(None, statuses.c.account_id))
    return query.where(visible_to(viewer_id), ~hidden_by_viewer(viewer_id),
                       ~limited_for(viewer_id, statuses.c.account_id))


class EventPostsRepo(Repo):
    async def add(self, *, event_id: int, status_id: int) -> None:
        await self.conn.execute(event_posts.insert().values(event_id=event_id,
                                                            status_id=status_id))

    async def timeline(self, event: sa.Row, viewer_id: int | None, page: Page) -> list[sa.Row]:
        query = _timeline(event, viewer_id, wall=False)
        return newest_first(await self.all(apply_page(query, statuses.c.id, page)), page)

    async def wall(self, event: sa.Row, *, limit: int) -> list[sa.Row]:
        """The newest posts the wall shows."""
        return await self.all(_timeline(event, None, wall=True)
                              .order_by(statuses.c.id.desc()).limit(limit))

    async def shows(self, event: sa.Row, status_id: int, viewer_id: int | None, *,
                    wall: bool) -> bool:
        """Whether the status is in the event's timeline for the viewer (or on its wall)."""
        query = _timeline(event, viewer_id, wall=wall).where(statuses.c.id == status_id)
        return await self.exists(query.with_only_columns(statuses.c.id))

    async def oldest_first(self, event: sa.Row, viewer_id: int, *, limit: int
                           ) -> list[sa.Row]:
        """The beginning of the timeline, as a story tells it."""
        return await self.all(_timeline(event, viewer_id, wall=False)
                              .order_by(statuses.c.id).limit(limit))

    # The wall.

    async def hide(self, *, event_id: int, status_id: int, hidden_by_id: int,
                   now: datetime) -> bool:
        return bool(await self.insert_ignoring_conflicts(event_wall_hidden, [dict(
            event_id=event_id, status_id=status_id, hidden_by_id=hidden_by_id,
            created_at=now)]))

    # Held posts.

    async def hold(self, **values) -> int:
        held_id = new_id()
        await self.conn.execute(h.insert().values(id=held_id, **values))
        return held_id

    async def held(self, held_id: int) -> sa.Row | None:
        return await self.one(h.select().where(h.c.id == held_id))

    async def held_of(self, event_id: int, *, state: str,
                      author_id: int | None = None) -> list[sa.Row]:
        """An event's held posts in one state, oldest first (with `author_id`: theirs)."""
        query = h.select().where(h.c.event_id == event_id, h.c.state == state)
        if author_id is not None:
            query = query.where(h.c.author_id == author_id)
        return await self.all(query.order_by(h.c.id).limit(MOST_HELD))

    async def decide(self, held_id: int, *, from_state: str, **values) -> bool:
        """Decide a post still in `from_state`: of two organisers at once, one decides."""
        result = await self.conn.execute(
            h.update().where(h.c.id == held_id, h.c.state == from_state).values(**values))
        return result.rowcount > 0
