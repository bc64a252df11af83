"""Open a live event's wall, for a projector: a public event's by its address, any event's by
its secret link (`event_links`), without a sign-in. Anything else, a guessed link too, is
404. The wall shows at most `WALL_SIZE` posts, the newest first (`policies/events.py` says
which)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound
from zwitscher.policies.events import PUBLIC
from zwitscher.services.event_links import event_of_wall_secret

# Posts on a wall at once (and at most in its page's document, however long it runs).
WALL_SIZE = 50


async def public_wall(uow: UnitOfWork, *, event_id: int) -> sa.Row:
    event = await uow.live_events.get(event_id)
    if event is None or event.audience != PUBLIC:
        raise NotFound()
    return event


async def secret_wall(uow: UnitOfWork, *, secret: str) -> sa.Row:
    event = await event_of_wall_secret(uow, secret)
    if event is None:
        raise NotFound()
    return event


async def wall_post_ids(uow: UnitOfWork, event: sa.Row) -> list[int]:
    return [row.id for row in await uow.event_posts.wall(event, limit=WALL_SIZE)]

