"""Hashtags (Mastodon's Tag, with its week of history and whether the viewer follows it) and
featured tags (FeaturedTag)."""

from __future__ import annotations

from collections import defaultdict
from typing import NotRequired

import sqlalchemy as sa
from typing_extensions import TypedDict

from zwitscher.api.presenters.common import iso_date
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.trends import history, week_start


class TagHistory(TypedDict):
    """A day's uses: the day as a Unix time, and all three as strings (as Mastodon's)."""

    day: str
    uses: str
    accounts: str


class Tag(TypedDict):
    id: NotRequired[str]  # not for a tag nobody has used
    name: str
    url: str
    history: list[TagHistory]
    following: bool


class FeaturedTag(TypedDict):
    id: str
    name: str
    url: str
    statuses_count: str
    last_status_at: str | None


async def present_tags(uow: UnitOfWork, tags: list[sa.Row], *, viewer_id: int | None,
                       origin: str) -> list[Tag]:
    ids = [tag.id for tag in tags]
    now = utcnow()
    events: dict[int, list] = defaultdict(list)
    for use in await uow.tags.uses(ids, week_start(now)):
        events[use.tag_id].append((use.created_at, use.account_id))
    followed = await uow.tags.followed_among(viewer_id, ids) if viewer_id else set()
    return [{"id": str(tag.id), "name": tag.name, "url": f"{origin}/tags/{tag.name_lower}",
             "history": history(events[tag.id], now), "following": tag.id in followed}
            for tag in tags]


def present_unknown_tag(name: str, origin: str) -> Tag:
    """A tag nobody has used yet: valid, just empty."""
    return {"name": name, "url": f"{origin}/tags/{name.lower()}",
            "history": history([], utcnow()), "following": False}


def present_featured_tag(row: sa.Row, username: str, origin: str) -> FeaturedTag:
    """As Mastodon serialises it (not as its documentation says): the count as a string, the
    last use as a day."""
    return {"id": str(row.id), "name": row.name,
            "url": f"{origin}/@{username}/tagged/{row.name_lower}",
            "statuses_count": str(row.statuses_count),
            "last_status_at": iso_date(row.last_status_at)}
