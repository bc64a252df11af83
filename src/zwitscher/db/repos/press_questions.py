"""The questions of press conferences, their votes and who else asked them
(`policies/press_conferences.py` has the rules)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import press_question_votes, press_questions
from zwitscher.domain.ids import new_id
from zwitscher.policies.press_conferences import ANSWERED, MERGED, PENDING, questions_shown_to

q = press_questions
# More than any conference gets: a queue is read whole, sorted by votes.
MOST_QUESTIONS = 2000


class PressQuestionsRepo(Repo):
    async def add(self, **values) -> int:
        question_id = new_id()
        await self.conn.execute(q.insert().values(id=question_id, **values))
        return question_id

    async def get(self, question_id: int) -> sa.Row | None:
        return await self.one(q.select().where(q.c.id == question_id))

    async def update(self, question_id: int, *, from_states: Collection[str],
                     **values) -> bool:
        """Change a question still in one of `from_states`: of two moderators deciding at
        once, the second finds it decided."""
        result = await self.conn.execute(
            q.update().where(q.c.id == question_id, q.c.state.in_(list(from_states)))
            .values(**values))
        return result.rowcount > 0

    async def shown(self, conference_id: int, *, viewer_id: int | None,
                    moderator: bool) -> list[sa.Row]:
        """A conference's questions the viewer sees: most votes first, then oldest first."""
        return await self.all(
            q.select().where(q.c.conference_id == conference_id,
                             questions_shown_to(viewer_id, moderator=moderator))
            .order_by(q.c.votes.desc(), q.c.id).limit(MOST_QUESTIONS))

    async def answered(self, conference_id: int) -> list[sa.Row]:
        """The answered questions in the order they were answered: the transcript."""
        return await self.all(
            q.select().where(q.c.conference_id == conference_id, q.c.state == ANSWERED)
            .order_by(q.c.answered_at, q.c.id).limit(MOST_QUESTIONS))

    async def pending_of(self, conference_id: int, asker_id: int) -> int:
        return await self.scalar(sa.select(sa.func.count()).where(
            q.c.conference_id == conference_id, q.c.asker_id == asker_id,
            q.c.state == PENDING))

    async def last_asked_at(self, conference_id: int, asker_id: int) -> datetime | None:
        return await self.scalar(sa.select(sa.func.max(q.c.created_at)).where(
            q.c.conference_id == conference_id, q.c.asker_id == asker_id))

    async def also_asked(self, question_ids: Collection[int]) -> dict[int, list[int]]:
        """For each question, the askers of the questions merged into it, in order."""
        if not question_ids:
            return {}
        rows = await self.all(
            sa.select(q.c.merged_into_id, q.c.asker_id)
            .where(self.among(q.c.merged_into_id, question_ids), q.c.state == MERGED)
            .order_by(q.c.id))
        found: dict[int, list[int]] = {}
        for row in rows:
            askers = found.setdefault(row.merged_into_id, [])
            if row.asker_id not in askers:
                askers.append(row.asker_id)
        return found

    async def voted_by(self, account_id: int, question_ids: Collection[int]) -> set[int]:
        if not question_ids:
            return set()
        return set(await self.scalars(
            sa.select(press_question_votes.c.question_id)
            .where(press_question_votes.c.account_id == account_id,
                   self.among(press_question_votes.c.question_id, question_ids))))

    async def add_vote(self, question_id: int, account_id: int, now: datetime) -> bool:
        """One vote per person: False when they had voted already."""
        added = await self.insert_ignoring_conflicts(press_question_votes, [
            {"question_id": question_id, "account_id": account_id, "created_at": now}])
        if added:
            await self._add_to_votes(question_id, 1)
        return bool(added)

    async def remove_vote(self, question_id: int, account_id: int) -> bool:
        result = await self.conn.execute(press_question_votes.delete().where(
            press_question_votes.c.question_id == question_id,
            press_question_votes.c.account_id == account_id))
        if result.rowcount:
            await self._add_to_votes(question_id, -1)
        return result.rowcount > 0

    async def move_votes(self, from_id: int, to_id: int, now: datetime) -> None:
        """A merged question's voters vote for the one it joined (once each)."""
        voters = await self.scalars(sa.select(press_question_votes.c.account_id)
                                    .where(press_question_votes.c.question_id == from_id))
        for voter in voters:  # one at a time: a batch's row count is not told alike
            await self.add_vote(to_id, voter, now)
        await self.conn.execute(press_question_votes.delete()
                                .where(press_question_votes.c.question_id == from_id))
        await self.conn.execute(q.update().where(q.c.id == from_id).values(votes=0))

    async def _add_to_votes(self, question_id: int, change: int) -> None:
        # In the statement, not read and written back: two votes at once both count.
        await self.conn.execute(q.update().where(q.c.id == question_id)
                                .values(votes=q.c.votes + change))
