"""Private notes one person keeps about another (Mastodon's account notes): read only by their
writer, so every read names the writer."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import account_notes
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id


class AccountNotesRepo(Repo):
    async def write(self, *, account_id: int, target_id: int, comment: str) -> None:
        """Keep `comment` as the note; a note written before keeps its `created_at`."""
        now = utcnow()
        changed = await self.conn.execute(account_notes.update().where(
            account_notes.c.account_id == account_id,
            account_notes.c.target_account_id == target_id,
        ).values(comment=comment, updated_at=now))
        if not changed.rowcount:
            await self.insert_ignoring_conflicts(account_notes, [dict(
                id=new_id(), account_id=account_id, target_account_id=target_id,
                comment=comment, updated_at=now, created_at=now)])

    async def remove(self, *, account_id: int, target_id: int) -> None:
        await self.conn.execute(account_notes.delete().where(
            account_notes.c.account_id == account_id,
            account_notes.c.target_account_id == target_id))

    async def of(self, account_id: int, target_ids: list[int]) -> dict[int, str]:
        """The notes `account_id` wrote about these accounts, by target: one statement."""
        if not target_ids:
            return {}
        rows = await self.all(sa.select(account_notes.c.target_account_id,
                                        account_notes.c.comment).where(
            account_notes.c.account_id == account_id,
            self.among(account_notes.c.target_account_id, target_ids)))
        return {row.target_account_id: row.comment for row in rows}
