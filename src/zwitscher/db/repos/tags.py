"""Hashtags people follow (their posts come into the follower's home) and feature on their
profile (with counts of the account's own posts that carry them)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import featured_tags, status_tags, statuses, tag_follows, tags
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import id_for_datetime, new_id
from zwitscher.domain.visibility import Visibility
from zwitscher.policies.visibility import OPEN


class TagsRepo(Repo):
    async def by_name(self, name: str) -> sa.Row | None:
        return await self.one(tags.select().where(tags.c.name_lower == name.lower()))

    async def find_or_create(self, name: str) -> sa.Row:
        await self.insert_ignoring_conflicts(tags, [dict(
            id=new_id(), name=name, name_lower=name.lower(), created_at=utcnow())])
        return await self.by_name(name)

    async def uses(self, tag_ids: list[int], since: datetime) -> list[sa.Row]:
        """(tag id, created_at, account id) of each public, original status since `since` that
        carries one of the tags: what a tag's history counts (as trends do)."""
        if not tag_ids:
            return []
        return await self.all(
            sa.select(status_tags.c.tag_id, statuses.c.created_at, statuses.c.account_id)
            .join(statuses, statuses.c.id == status_tags.c.status_id)
            .where(status_tags.c.tag_id.in_(tag_ids),
                   statuses.c.visibility == Visibility.PUBLIC.value,
                   statuses.c.reblog_of_id.is_(None),
                   statuses.c.id >= id_for_datetime(since)))

    # Followed tags.

    async def follow(self, *, account_id: int, tag_id: int) -> bool:
        return bool(await self.insert_ignoring_conflicts(tag_follows, [dict(
            id=new_id(), account_id=account_id, tag_id=tag_id, created_at=utcnow())]))

    async def unfollow(self, *, account_id: int, tag_id: int) -> bool:
        result = await self.conn.execute(tag_follows.delete().where(
            tag_follows.c.account_id == account_id, tag_follows.c.tag_id == tag_id))
        return result.rowcount > 0

    async def followed(self, account_id: int, page: Page) -> list[tuple[int, sa.Row]]:
        """(follow id, tag) the account follows, newest follow first."""
        query = (sa.select(tag_follows.c.id.label("follow_id"), tags)
                 .join(tags, tags.c.id == tag_follows.c.tag_id)
                 .where(tag_follows.c.account_id == account_id))
        rows = newest_first(await self.all(apply_page(query, tag_follows.c.id, page)), page)
        return [(row.follow_id, row) for row in rows]

    async def followed_among(self, account_id: int, tag_ids: list[int]) -> set[int]:
        if not tag_ids:
            return set()
        return set(await self.scalars(sa.select(tag_follows.c.tag_id).where(
            tag_follows.c.account_id == account_id, tag_follows.c.tag_id.in_(tag_ids))))

    async def followed_names(self, account_id: int, names: list[str]) -> set[str]:
        """Which of these tag names (lower-cased) the account follows."""
        if not names:
            return set()
        return set(await self.scalars(
            sa.select(tags.c.name_lower).join(tag_follows, tag_follows.c.tag_id == tags.c.id)
            .where(tag_follows.c.account_id == account_id,
                   tags.c.name_lower.in_([name.lower() for name in names]))))

    async def follower_ids(self, names: list[str]) -> set[int]:
        """Accounts that follow any of these tags (by name, in any case)."""
        if not names:
            return set()
        return set(await self.scalars(
            sa.select(tag_follows.c.account_id).join(tags, tags.c.id == tag_follows.c.tag_id)
            .where(tags.c.name_lower.in_([name.lower() for name in names]))))

    # Featured tags.

    async def feature(self, *, account_id: int, tag_id: int) -> None:
        await self.insert_ignoring_conflicts(featured_tags, [dict(
            id=new_id(), account_id=account_id, tag_id=tag_id, created_at=utcnow())])

    async def unfeature(self, *, account_id: int, featured_id: int) -> bool:
        result = await self.conn.execute(featured_tags.delete().where(
            featured_tags.c.account_id == account_id, featured_tags.c.id == featured_id))
        return result.rowcount > 0

    async def featured(self, account_id: int) -> list[sa.Row]:
        """The account's featured tags (id, tag_id, name, name_lower), oldest first, with how
        many of the account's public and unlisted posts carry each and when the last was."""
        counted = (sa.select(status_tags.c.tag_id, sa.func.count().label("statuses_count"),
                             sa.func.max(statuses.c.created_at).label("last_status_at"))
                   .join(statuses, statuses.c.id == status_tags.c.status_id)
                   .where(statuses.c.account_id == account_id, statuses.c.visibility.in_(OPEN),
                          statuses.c.reblog_of_id.is_(None))
                   .group_by(status_tags.c.tag_id).subquery())
        return await self.all(
            sa.select(featured_tags.c.id, featured_tags.c.tag_id, tags.c.name, tags.c.name_lower,
                      sa.func.coalesce(counted.c.statuses_count, 0).label("statuses_count"),
                      counted.c.last_status_at)
            .join(tags, tags.c.id == featured_tags.c.tag_id)
            .outerjoin(counted, counted.c.tag_id == featured_tags.c.tag_id)
            .where(featured_tags.c.account_id == account_id)
            .order_by(featured_tags.c.id))

    async def most_used_by(self, account_id: int, *, limit: int) -> list[sa.Row]:
        """The tags the account uses most in its own posts, not featured yet."""
        uses = sa.func.count().label("uses")
        return await self.all(
            sa.select(tags, uses)
            .select_from(status_tags.join(statuses, statuses.c.id == status_tags.c.status_id)
                         .join(tags, tags.c.id == status_tags.c.tag_id))
            .where(statuses.c.account_id == account_id, statuses.c.reblog_of_id.is_(None),
                   tags.c.id.not_in(sa.select(featured_tags.c.tag_id).where(
                       featured_tags.c.account_id == account_id)))
            .group_by(*tags.c).order_by(uses.desc(), tags.c.name_lower).limit(limit))
