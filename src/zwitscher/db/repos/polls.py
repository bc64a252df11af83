"""Polls, who voted in them and for what."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import poll_voters, poll_votes, polls
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id


@dataclass(slots=True)
class Tallies:
    """Votes per option, voters and the viewer's own choices, for a set of polls."""

    votes: dict[int, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    voters: dict[int, int] = field(default_factory=dict)
    own: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))


class PollsRepo(Repo):
    async def add(self, *, status_id: int, options: list[str], multiple: bool,
                  hide_totals: bool, expires_at: datetime) -> int:
        poll_id = new_id()
        await self.conn.execute(polls.insert().values(
            id=poll_id, status_id=status_id, options=options, multiple=multiple,
            hide_totals=hide_totals, expires_at=expires_at, created_at=utcnow()))
        return poll_id

    async def get(self, poll_id: int) -> sa.Row | None:
        return await self.one(polls.select().where(polls.c.id == poll_id))

    async def of_status(self, status_id: int) -> sa.Row | None:
        return await self.one(polls.select().where(polls.c.status_id == status_id))

    async def of_statuses(self, status_ids: list[int]) -> dict[int, sa.Row]:
        if not status_ids:
            return {}
        rows = await self.all(polls.select().where(self.among(polls.c.status_id, status_ids)))
        return {row.status_id: row for row in rows}

    async def update(self, poll_id: int, **values) -> None:
        await self.conn.execute(polls.update().where(polls.c.id == poll_id).values(**values))

    async def delete(self, poll_id: int) -> None:
        await self.conn.execute(polls.delete().where(polls.c.id == poll_id))

    async def mark_ended(self, poll_id: int) -> bool:
        """Whether this call ended it (False: it had been ended already)."""
        result = await self.conn.execute(polls.update().where(
            polls.c.id == poll_id, polls.c.ended_at.is_(None)).values(ended_at=utcnow()))
        return result.rowcount > 0

    # Votes.

    async def add_voter(self, poll_id: int, account_id: int) -> bool:
        """Whether the account had not voted in this poll before."""
        return await self.insert_ignoring_conflicts(poll_voters, [dict(
            poll_id=poll_id, account_id=account_id, created_at=utcnow())]) > 0

    async def add_votes(self, poll_id: int, account_id: int, choices: tuple[int, ...]) -> int:
        """How many of the choices are new (one vote per option and account)."""
        if not choices:
            return 0
        dialect = sqlite if self.conn.dialect.name == "sqlite" else postgresql
        # One statement (not one per row): its row count is the number inserted on both engines.
        result = await self.conn.execute(dialect.insert(poll_votes).values([
            dict(poll_id=poll_id, account_id=account_id, choice=choice) for choice in choices
        ]).on_conflict_do_nothing())
        return result.rowcount

    async def reset_votes(self, poll_id: int) -> None:
        await self.conn.execute(poll_votes.delete().where(poll_votes.c.poll_id == poll_id))
        await self.conn.execute(poll_voters.delete().where(poll_voters.c.poll_id == poll_id))

    async def voter_ids(self, poll_id: int, *, after: int | None, limit: int) -> list[int]:
        query = sa.select(poll_voters.c.account_id).where(poll_voters.c.poll_id == poll_id)
        if after is not None:
            query = query.where(poll_voters.c.account_id > after)
        return await self.scalars(query.order_by(poll_voters.c.account_id).limit(limit))

    async def tallies(self, poll_ids: list[int], viewer_id: int | None) -> Tallies:
        """Counted in the database in one round trip, whatever the number of polls."""
        tallies = Tallies()
        if not poll_ids:
            return tallies
        parts = [
            sa.select(sa.literal("votes").label("kind"), poll_votes.c.poll_id,
                      poll_votes.c.choice, sa.func.count().label("n"))
            .where(self.among(poll_votes.c.poll_id, poll_ids))
            .group_by(poll_votes.c.poll_id, poll_votes.c.choice),
            sa.select(sa.literal("voters").label("kind"), poll_voters.c.poll_id,
                      sa.literal(-1).label("choice"), sa.func.count().label("n"))
            .where(self.among(poll_voters.c.poll_id, poll_ids))
            .group_by(poll_voters.c.poll_id),
        ]
        if viewer_id is not None:
            parts.append(
                sa.select(sa.literal("own").label("kind"), poll_votes.c.poll_id,
                          poll_votes.c.choice, sa.literal(1).label("n"))
                .where(self.among(poll_votes.c.poll_id, poll_ids),
                       poll_votes.c.account_id == viewer_id))
        for row in await self.all(sa.union_all(*parts)):
            if row.kind == "votes":
                tallies.votes[row.poll_id][row.choice] = row.n
            elif row.kind == "voters":
                tallies.voters[row.poll_id] = row.n
            else:
                tallies.own[row.poll_id].append(row.choice)
        return tallies
