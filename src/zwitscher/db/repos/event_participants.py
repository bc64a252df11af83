"""The participants of live events: invitees (accounts or e-mail addresses) and attendees,
with their one current answer and their consents (`policies/events.py`)."""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import accounts, event_participants
from zwitscher.domain.ids import new_id

p = event_participants
# More than any event has: an organiser's list is read whole.
MOST_PARTICIPANTS = 5000


class EventParticipantsRepo(Repo):
    async def add_unless_present(self, **values) -> int | None:
        """A new participant's id; None when the account or address takes part already (two
        answers at once: one row, whichever came first)."""
        participant_id = new_id()
        added = await self.insert_ignoring_conflicts(p, [{"id": participant_id, **values}])
        return participant_id if added else None

    async def get(self, participant_id: int) -> sa.Row | None:
        return await self.one(p.select().where(p.c.id == participant_id))

    async def of_account(self, event_id: int, account_id: int | None) -> sa.Row | None:
        if account_id is None:
            return None
        return await self.one(p.select().where(p.c.event_id == event_id,
                                               p.c.account_id == account_id))

    async def of_email(self, event_id: int, email: str) -> sa.Row | None:
        return await self.one(p.select().where(p.c.event_id == event_id, p.c.email == email))

    async def update(self, participant_id: int, **values) -> None:
        await self.conn.execute(p.update().where(p.c.id == participant_id).values(**values))

    async def of_event(self, event_id: int) -> list[sa.Row]:
        """Every participant with their account's name (if any), in the order they came."""
        return await self.all(
            sa.select(p, accounts.c.username, accounts.c.display_name)
            .outerjoin(accounts, accounts.c.id == p.c.account_id)
            .where(p.c.event_id == event_id).order_by(p.c.id).limit(MOST_PARTICIPANTS))

    async def among_accounts(self, event_id: int,
                             account_ids: Collection[int]) -> list[sa.Row]:
        """The participants of the event who are these accounts, with their usernames."""
        if not account_ids:
            return []
        return await self.all(
            sa.select(p, accounts.c.username, accounts.c.display_name)
            .join(accounts, accounts.c.id == p.c.account_id)
            .where(p.c.event_id == event_id, self.among(p.c.account_id, account_ids)))

    async def answer_counts(self, event_id: int) -> dict[str, int]:
        rows = await self.all(sa.select(p.c.answer, sa.func.count())
                              .where(p.c.event_id == event_id).group_by(p.c.answer))
        return {answer: count for answer, count in rows}

    async def account_ids(self, event_id: int, *, except_answer: str | None = None
                          ) -> list[int]:
        query = sa.select(p.c.account_id).where(p.c.event_id == event_id,
                                                p.c.account_id.is_not(None))
        if except_answer is not None:
            query = query.where(p.c.answer != except_answer)
        return await self.scalars(query)
