"""Read an aggregated feed: the organisation's, or one group's.

The organisation feed holds only public posts, so anyone may read it, signed in or not. A
group feed also tells who belongs to the group, so it is for those who may see the group:
insiders, and guests who are members of it. A group the reader may not see is "not found",
whether or not it exists.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound
from zwitscher.policies.groups import may_read_group
from zwitscher.services.oauth import Viewer


@dataclass(frozen=True, slots=True)
class Feed:
    group: sa.Row | None
    statuses: list[sa.Row]


async def read_feed(uow: UnitOfWork, *, viewer: Viewer | None, page: Page,
                    group_id: int | None = None, group_slug: str | None = None) -> Feed:
    """The organisation feed, or with `group_id` or `group_slug` that group's feed."""
    viewer_id = viewer.account_id if viewer else None
    if group_id is None and group_slug is None:
        return Feed(None, await uow.feeds.aggregated(page, viewer_id=viewer_id))
    group = (await uow.groups.get(group_id) if group_id is not None
             else await uow.groups.by_slug(group_slug))
    if group is None or not await may_read_group(
            uow, account_id=viewer_id, role=viewer.role if viewer else None, group_id=group.id):
        raise NotFound("No such group")
    return Feed(group, await uow.feeds.aggregated(page, viewer_id=viewer_id, group_id=group.id))
