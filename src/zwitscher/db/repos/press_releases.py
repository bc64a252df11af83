"""Press releases (`policies/press_releases.py` says who reads them) and the newsroom's
subscribers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import (
    group_members,
    group_tree,
    newsroom_subscribers,
    press_release_groups,
    press_releases,
    users,
)
from zwitscher.domain.ids import new_id
from zwitscher.policies.press_releases import readable_by

_r = press_releases


class PressReleasesRepo(Repo):
    async def add(self, *, group_ids: Iterable[int], **values) -> int:
        release_id = new_id()
        await self.conn.execute(_r.insert().values(id=release_id, **values))
        await self.set_groups(release_id, group_ids)
        return release_id

    async def get(self, release_id: int) -> sa.Row | None:
        return await self.one(_r.select().where(_r.c.id == release_id))

    async def update(self, release_id: int, **values) -> None:
        await self.conn.execute(_r.update().where(_r.c.id == release_id).values(**values))

    async def delete(self, release_id: int) -> None:
        await self.conn.execute(_r.delete().where(_r.c.id == release_id))

    async def set_groups(self, release_id: int, group_ids: Iterable[int]) -> None:
        await self.conn.execute(press_release_groups.delete().where(
            press_release_groups.c.release_id == release_id))
        rows = [{"release_id": release_id, "group_id": g} for g in dict.fromkeys(group_ids)]
        if rows:
            await self.conn.execute(press_release_groups.insert(), rows)

    async def groups_of(self, release_ids: list[int]) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {release_id: [] for release_id in release_ids}
        if release_ids:
            for row in await self.all(sa.select(press_release_groups).where(
                    self.among(press_release_groups.c.release_id, release_ids))
                    .order_by(press_release_groups.c.group_id)):
                found[row.release_id].append(row.group_id)
        return found

    async def readable(self, release_id: int, *, viewer_id: int | None,
                       now: datetime) -> sa.Row | None:
        return await self.one(_r.select().where(_r.c.id == release_id,
                                                readable_by(viewer_id, now)))

    async def readable_page(self, page: Page, *, viewer_id: int | None, now: datetime,
                            brand_id: int | None = None, query: str = "",
                            published: bool | None = None) -> list[sa.Row]:
        """Releases the viewer may read, newest first; `query` finds words of the headline
        and body (case-insensitive, each word somewhere)."""
        statement = _r.select().where(readable_by(viewer_id, now))
        if brand_id is not None:
            statement = statement.where(_r.c.brand_id == brand_id)
        if published is not None:
            statement = statement.where(_r.c.published_at.is_not(None) if published
                                        else _r.c.published_at.is_(None))
        for word in query.split()[:8]:
            pattern = "%" + word.lower().replace("\\", "\\\\").replace("%", "\\%").replace(
                "_", "\\_") + "%"
            statement = statement.where(sa.or_(
                sa.func.lower(_r.c.headline).like(pattern, escape="\\"),
                sa.func.lower(_r.c.body).like(pattern, escape="\\")))
        return newest_first(await self.all(apply_page(statement, _r.c.id, page)), page)

    async def press_readers(self, release_id: int) -> list[sa.Row]:
        """The people of its press groups (and of the groups below them) with the address and
        language their e-mail goes to."""
        query = (sa.select(users.c.account_id, users.c.email, users.c.locale,
                           users.c.time_zone)
                 .distinct()
                 .join(group_members, group_members.c.account_id == users.c.account_id)
                 .join(group_tree, group_tree.c.descendant_id == group_members.c.group_id)
                 .join(press_release_groups,
                       press_release_groups.c.group_id == group_tree.c.ancestor_id)
                 .where(press_release_groups.c.release_id == release_id,
                        users.c.disabled.is_(False)))
        return await self.all(query)


_s = newsroom_subscribers


class NewsroomSubscribersRepo(Repo):
    async def add(self, **values) -> int:
        subscriber_id = new_id()
        await self.conn.execute(_s.insert().values(id=subscriber_id, **values))
        return subscriber_id

    async def add_unless_present(self, **values) -> int | None:
        """A request for an address the brand has none of yet; None if it has (two requests
        at once store one)."""
        subscriber_id = new_id()
        added = await self.insert_ignoring_conflicts(_s, [{"id": subscriber_id, **values}])
        return subscriber_id if added else None

    async def delete_unconfirmed(self, brand_id: int, *, created_before: datetime) -> None:
        """Requests whose link expired unconfirmed."""
        await self.conn.execute(_s.delete().where(
            _s.c.brand_id == brand_id, _s.c.confirmed_at.is_(None),
            _s.c.created_at < created_before))

    async def of_address(self, brand_id: int, email: str) -> sa.Row | None:
        return await self.one(_s.select().where(_s.c.brand_id == brand_id,
                                                _s.c.email == email))

    async def by_token(self, digest: str) -> sa.Row | None:
        return await self.one(_s.select().where(_s.c.token_digest == digest))

    async def update(self, subscriber_id: int, **values) -> None:
        await self.conn.execute(_s.update().where(_s.c.id == subscriber_id).values(**values))

    async def delete(self, subscriber_id: int) -> None:
        await self.conn.execute(_s.delete().where(_s.c.id == subscriber_id))

    async def confirmed_after(self, brand_id: int, after_id: int, limit: int) -> list[sa.Row]:
        """The next `limit` confirmed subscribers of the brand, in id order (a mailing goes
        through them batch by batch)."""
        return await self.all(_s.select().where(
            _s.c.brand_id == brand_id, _s.c.id > after_id, _s.c.confirmed_at.is_not(None))
            .order_by(_s.c.id).limit(limit))

    async def count_confirmed(self, brand_id: int) -> int:
        return await self.scalar(sa.select(sa.func.count()).where(
            _s.c.brand_id == brand_id, _s.c.confirmed_at.is_not(None)))
