"""Hashtags (Mastodon's Tag, with its week of history and whether the viewer follows it) and
featured tags (FeaturedTag)."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from zwitscher.api.presenters.common import iso_date
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.trends import history, week_start


async def present_tags(uow: UnitOfWork, tags: list[sa.Row], *, viewer_id: int | None,
                       origin: str) -> list[dict]:
    ids = [tag.id for tag in tags]
    now = utcnow()
    events: dict[int, list] = defaultdict(list)
    for use in await uow.tags.uses(ids, week_start(now)):
        events[use.tag_id].append((use.created_at, use.account_id))
    followed = await uow.tags.followed_among(viewer_id, ids) if viewer_id else set()
    return [{"id": str(tag.id), "name": tag.name, "url": f"{origin}/tags/{tag.name_lower}",
             "history": history(events[tag.id], now), "following": tag.id in followed}
            for tag in tags]


def present_unknown_tag(name: str, origin: str) -> dict:
    """A tag nobody has used yet: valid, just empty."""
    return {"name": name, "url": f"{origin}/tags/{name.lower()}",
            "history": history([], utcnow()), "following": False}


def present_featured_tag(row: sa.Row, username: str, origin: str) -> dict:
    """As Mastodon serialises it (not as its documentation says): the count as a string, the
    last use as a day."""
    return {"id": str(row.id), "name": row.name,
            "url": f"{origin}/@{username}/tagged/{row.name_lower}",
            "statuses_count": str(row.statuses_count),
            "last_status_at": iso_date(row.last_status_at)}
