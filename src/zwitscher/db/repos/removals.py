"""Statuses deleted many at a time (`services/remove_statuses.py`: a deleted account's, and
those past the retention policies), and which statuses the retention policies find past
their time."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import pins, statuses
from zwitscher.domain.ids import id_for_datetime
from zwitscher.policies.legal_holds import held_accounts, held_status


class RemovalsRepo(Repo):
    async def reblogs_of(self, status_ids: list[int]) -> list[sa.Row]:
        return await self.all(statuses.select().where(
            self.among(statuses.c.reblog_of_id, status_ids)))

    async def delete_statuses(self, status_ids: list[int]) -> None:
        """What hangs on them (media rows, polls, edits, mentions, favourites, bookmarks, pins,
        notifications, home feed entries) goes by the foreign keys."""
        await self.conn.execute(statuses.delete().where(self.among(statuses.c.id, status_ids)))

    async def past_retention(self, cutoffs: Mapping[str, datetime], *, now: datetime,
                             limit: int) -> list[sa.Row]:
        """The oldest statuses past their visibility's cut-off that may go."""
        if not cutoffs:
            return []
        return await self.all(statuses.select().where(_past(cutoffs, now))
                              .order_by(statuses.c.id).limit(limit))

    async def count_past_retention(self, cutoffs: Mapping[str, datetime], *,
                                   now: datetime) -> dict[str, int]:
        """How many `past_retention` would find, by visibility."""
        if not cutoffs:
            return {}
        rows = await self.all(sa.select(statuses.c.visibility, sa.func.count())
                              .where(_past(cutoffs, now)).group_by(statuses.c.visibility))
        return {visibility: count for visibility, count in rows}


def _past(cutoffs: Mapping[str, datetime], now: datetime) -> sa.ColumnElement[bool]:
    """Past the cut-off of its visibility (the id carries the creation time: the primary key
    finds the oldest first); not pinned by its author; kept by no legal hold, neither as a
    post of a person under hold nor as a message the hold concerns."""
    per_visibility = [sa.and_(statuses.c.visibility == visibility,
                              statuses.c.id < id_for_datetime(cutoff),
                              statuses.c.created_at < cutoff)
                      for visibility, cutoff in cutoffs.items()]
    pinned = sa.exists().where(pins.c.status_id == statuses.c.id)
    return sa.and_(sa.or_(*per_visibility), ~pinned,
                   statuses.c.account_id.not_in(held_accounts(now)),
                   ~held_status(statuses, now))
