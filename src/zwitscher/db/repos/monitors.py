"""Monitors, their matches, hourly counts and e-mail pacing (`db/schema/monitors.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo, bound_ids, in_ids
from zwitscher.db.schema import (
    accounts,
    group_members,
    group_tree,
    monitor_hourly_counts,
    monitor_index,
    monitor_mail_state,
    monitor_matches,
    monitors,
    statuses,
)
from zwitscher.policies.visibility import visible_to

m, mm, counts, mail = monitors, monitor_matches, monitor_hourly_counts, monitor_mail_state
# What one read of a list of monitors brings at most (an owner has at most 50 of their own).
MOST = 500
_QUERY_COLUMNS = (m.c.id, m.c.keywords, m.c.exclusions, m.c.languages, m.c.hashtags,
                  m.c.account_ids, m.c.group_ids)


_HOLDER_COLUMNS = (m.c.id, m.c.name, m.c.owner_id, m.c.group_id, m.c.created_by_id,
                   m.c.alert_email, m.c.alert_push, m.c.webhook_url)
_owner = accounts.alias("monitor_owners")
_seeing: dict[str, sa.Select] = {}


def _owners_seeing(dialect: str) -> sa.Select:
    """Which owners (bound as "ids") may see a status ("status_id"): built once per dialect,
    as building the visibility rule costs more than running it."""
    if dialect not in _seeing:
        _seeing[dialect] = (
            sa.select(_owner.c.id).select_from(_owner)
            .join(statuses, statuses.c.id == sa.bindparam("status_id", type_=sa.BigInteger))
            .where(in_ids(_owner.c.id, dialect), visible_to(_owner.c.id)))
    return _seeing[dialect]


class MonitorsRepo(Repo):
    def _insert(self, table: sa.Table):
        return (sqlite if self.conn.dialect.name == "sqlite" else postgresql).insert(table)

    # The monitors.

    async def add(self, *, monitor_id: int, **values) -> None:
        await self.conn.execute(m.insert().values(id=monitor_id, **values))
        await self.bump_version()

    async def get(self, monitor_id: int) -> sa.Row | None:
        return await self.one(m.select().where(m.c.id == monitor_id))

    async def get_many(self, monitor_ids: Sequence[int]) -> dict[int, sa.Row]:
        if not monitor_ids:
            return {}
        return {row.id: row for row in await self.all(
            m.select().where(self.among(m.c.id, monitor_ids)))}

    async def update(self, monitor_id: int, **values) -> None:
        await self.conn.execute(m.update().where(m.c.id == monitor_id).values(**values))
        await self.bump_version()

    async def delete(self, monitor_id: int) -> None:
        await self.conn.execute(m.delete().where(m.c.id == monitor_id))
        await self.bump_version()

    async def count_owned(self, *, owner_id: int | None, group_id: int | None) -> int:
        where = m.c.owner_id == owner_id if owner_id is not None else m.c.group_id == group_id
        return await self.scalar(sa.select(sa.func.count()).select_from(m).where(where))

    async def readable_by(self, account_id: int) -> list[sa.Row]:
        """A person's own monitors and those of the teams (groups, or groups below them) they
        belong to, newest first."""
        teams = (sa.select(group_tree.c.ancestor_id)
                 .join(group_members, group_members.c.group_id == group_tree.c.descendant_id)
                 .where(group_members.c.account_id == account_id))
        return await self.all(m.select().where(sa.or_(m.c.owner_id == account_id,
                                                      m.c.group_id.in_(teams)))
                              .order_by(m.c.id.desc()).limit(MOST))

    async def queries(self) -> list[sa.Row]:
        """Every monitor's query (what the matcher is built from)."""
        return await self.all(sa.select(*_QUERY_COLUMNS))

    # The version of all monitors together (see the schema's docstring).

    async def version(self) -> int:
        return await self.scalar(sa.select(monitor_index.c.version)
                                 .where(monitor_index.c.id == 1)) or 0

    async def bump_version(self) -> None:
        result = await self.conn.execute(monitor_index.update().where(monitor_index.c.id == 1)
                                         .values(version=monitor_index.c.version + 1))
        if not result.rowcount:
            await self.insert_ignoring_conflicts(monitor_index, [{"id": 1, "version": 1}])

    # Matches.

    async def matched(self, status_id: int) -> dict[int, list[str]]:
        """The monitors a status is stored for, with the terms it matched."""
        rows = await self.all(sa.select(mm.c.monitor_id, mm.c.terms)
                              .where(mm.c.status_id == status_id))
        return {row.monitor_id: row.terms for row in rows}

    async def add_matches(self, status_id: int, found: dict[int, Sequence[str]], *,
                          stored: dict[int, list[str]], at: datetime,
                          sentiment: dict[str, float | str | None]) -> list[int]:
        """Store the matches not `stored` yet (with the post's `sentiment`: the columns
        `sentiment` and `sentiment_label`); returns the monitors newly matched."""
        if not found:
            return []
        new = {monitor_id: list(terms) for monitor_id, terms in found.items()
               if monitor_id not in stored}
        for monitor_id, terms in found.items():
            if monitor_id in stored and list(terms) != stored[monitor_id]:
                await self.conn.execute(mm.update().where(
                    mm.c.monitor_id == monitor_id, mm.c.status_id == status_id)
                    .values(terms=list(terms)))
        if new:
            await self.insert_ignoring_conflicts(mm, [
                {"monitor_id": monitor_id, "status_id": status_id, "matched_at": at,
                 "terms": terms, **sentiment} for monitor_id, terms in new.items()])
            await self._count(list(new), at)
        return list(new)

    async def remove_matches(self, status_id: int, monitor_ids: Sequence[int]) -> None:
        if monitor_ids:
            await self.conn.execute(mm.delete().where(mm.c.status_id == status_id,
                                                      self.among(mm.c.monitor_id, monitor_ids)))

    async def _count(self, monitor_ids: list[int], at: datetime) -> None:
        hour = at.replace(minute=0, second=0, microsecond=0)
        insert = self._insert(counts)
        await self.conn.execute(
            insert.on_conflict_do_update(index_elements=[counts.c.monitor_id, counts.c.hour],
                                         set_={"matches": counts.c.matches + 1}),
            [{"monitor_id": monitor_id, "hour": hour, "matches": 1}
             for monitor_id in monitor_ids])

    async def hourly(self, monitor_id: int, *, since: datetime) -> list[sa.Row]:
        """(hour, matches) from `since` on, oldest first; hours without matches are absent."""
        return await self.all(sa.select(counts.c.hour, counts.c.matches)
                              .where(counts.c.monitor_id == monitor_id, counts.c.hour >= since)
                              .order_by(counts.c.hour))

    async def matches_since(self, monitor_ids: Sequence[int], *,
                            since: datetime) -> dict[int, int]:
        """Matches per monitor in the hours from `since`'s hour on (monitors without any are
        absent)."""
        if not monitor_ids:
            return {}
        hour = since.replace(minute=0, second=0, microsecond=0)
        rows = await self.all(sa.select(counts.c.monitor_id, sa.func.sum(counts.c.matches))
                              .where(self.among(counts.c.monitor_id, monitor_ids),
                                     counts.c.hour >= hour)
                              .group_by(counts.c.monitor_id))
        return {monitor_id: int(total or 0) for monitor_id, total in rows}

    async def terms_of(self, monitor_id: int, status_ids: Sequence[int]) -> dict[int, list[str]]:
        """What each of `status_ids` matched in the monitor (those stored for it)."""
        if not status_ids:
            return {}
        rows = await self.all(sa.select(mm.c.status_id, mm.c.terms).where(
            mm.c.monitor_id == monitor_id, self.among(mm.c.status_id, status_ids)))
        return {row.status_id: list(row.terms) for row in rows}

    def _timeline(self, monitor_id: int, viewer_id: int | None) -> sa.Select:
        return (sa.select(statuses.c.id)
                .join(mm, mm.c.status_id == statuses.c.id)
                .where(mm.c.monitor_id == monitor_id, visible_to(viewer_id)))

    async def timeline(self, monitor_id: int, viewer_id: int, page: Page) -> list[int]:
        """The monitor's matched posts `viewer_id` may see, newest first."""
        rows = await self.all(apply_page(self._timeline(monitor_id, viewer_id),
                                         statuses.c.id, page))
        return [row.id for row in newest_first(rows, page)]

    async def shows(self, monitor_id: int, status_id: int, viewer_id: int) -> bool:
        return await self.exists(self._timeline(monitor_id, viewer_id)
                                 .where(statuses.c.id == status_id))

    async def visible_among(self, status_ids: Sequence[int], viewer_id: int) -> list[int]:
        """Those of `status_ids` the viewer may see, in ascending order."""
        if not status_ids:
            return []
        return await self.scalars(sa.select(statuses.c.id).where(
            self.among(statuses.c.id, status_ids), visible_to(viewer_id))
            .order_by(statuses.c.id))

    async def owners_seeing(self, status_id: int, owner_ids: Sequence[int]) -> set[int]:
        """Those of `owner_ids` who may see the status: one query, however many they are
        (the visibility rule asked with each owner as the viewer)."""
        if not owner_ids:
            return set()
        dialect = self.conn.dialect.name
        return set(await self.scalars(_owners_seeing(dialect), {
            "status_id": status_id, "ids": bound_ids(dialect, owner_ids)}))

    async def holders(self, monitor_ids: Sequence[int]) -> dict[int, sa.Row]:
        """What matching asks of the monitors found (whose they are, their alerts), without
        their queries."""
        if not monitor_ids:
            return {}
        return {row.id: row for row in await self.all(
            sa.select(*_HOLDER_COLUMNS).where(self.among(m.c.id, monitor_ids)))}

    async def since(self, monitor_id: int, after_id: int, viewer_id: int, *,
                    limit: int) -> list[sa.Row]:
        """The matches after `after_id` the viewer may see, oldest first, with their terms."""
        return await self.all(
            sa.select(statuses.c.id, mm.c.terms)
            .join(mm, mm.c.status_id == statuses.c.id)
            .where(mm.c.monitor_id == monitor_id, statuses.c.id > after_id,
                   visible_to(viewer_id))
            .order_by(statuses.c.id).limit(limit))

    # E-mail pacing.

    async def mail_state(self, monitor_id: int, account_id: int) -> sa.Row | None:
        return await self.one(mail.select().where(mail.c.monitor_id == monitor_id,
                                                  mail.c.account_id == account_id))

    async def mark_mail_queued(self, monitor_id: int, account_id: int) -> bool:
        """Note that a digest is queued; False when one already was."""
        state = await self.mail_state(monitor_id, account_id)
        if state is None:
            return bool(await self.insert_ignoring_conflicts(mail, [{
                "monitor_id": monitor_id, "account_id": account_id, "sent_through_id": 0,
                "next_at": None, "queued": True}]))
        if state.queued:
            return False
        result = await self.conn.execute(mail.update().where(
            mail.c.monitor_id == monitor_id, mail.c.account_id == account_id,
            mail.c.queued.is_(False)).values(queued=True))
        return result.rowcount > 0

    async def mail_sent(self, monitor_id: int, account_id: int, *, through_id: int | None,
                        next_at: datetime | None) -> None:
        values: dict = {"queued": False}
        if through_id is not None:
            values |= {"sent_through_id": through_id, "next_at": next_at}
        await self.conn.execute(mail.update().where(
            mail.c.monitor_id == monitor_id, mail.c.account_id == account_id).values(**values))
