"""Conversations: which thread each direct status belongs to, and each participant's view."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import account_conversations, status_conversations, statuses
from zwitscher.domain.ids import new_id
from zwitscher.policies.visibility import visible_to


class ConversationsRepo(Repo):
    async def of_status(self, status_id: int) -> int | None:
        return await self.scalar(sa.select(status_conversations.c.conversation_id).where(
            status_conversations.c.status_id == status_id))

    async def add_status(self, *, status_id: int, conversation_id: int) -> None:
        await self.conn.execute(status_conversations.insert().values(
            status_id=status_id, conversation_id=conversation_id))

    async def get_many_for(self, account_ids: list[int], conversation_id: int
                           ) -> dict[int, sa.Row]:
        rows = await self.all(account_conversations.select().where(
            account_conversations.c.account_id.in_(account_ids),
            account_conversations.c.conversation_id == conversation_id))
        return {row.account_id: row for row in rows}

    async def insert_for(self, *, account_id: int, conversation_id: int,
                         participant_ids: list[int], last_status_id: int, unread: bool) -> None:
        await self.conn.execute(account_conversations.insert().values(
            id=new_id(), account_id=account_id, conversation_id=conversation_id,
            participant_ids=participant_ids, last_status_id=last_status_id, unread=unread))

    async def update(self, row_id: int, **values) -> None:
        await self.conn.execute(account_conversations.update()
                                .where(account_conversations.c.id == row_id).values(**values))

    async def delete(self, row_id: int) -> None:
        await self.conn.execute(account_conversations.delete()
                                .where(account_conversations.c.id == row_id))

    async def latest_visible(self, conversation_id: int, viewer_id: int) -> int | None:
        """The newest status of the conversation the viewer may see."""
        return await self.scalar(
            sa.select(sa.func.max(statuses.c.id))
            .join(status_conversations, status_conversations.c.status_id == statuses.c.id)
            .where(status_conversations.c.conversation_id == conversation_id,
                   visible_to(viewer_id)))

    # Read paths: a conversation shows only while its last status is visible to its reader.

    def _readable(self, viewer_id: int) -> sa.Select:
        return (account_conversations.select()
                .join(statuses, statuses.c.id == account_conversations.c.last_status_id)
                .where(account_conversations.c.account_id == viewer_id, visible_to(viewer_id)))

    async def get_own(self, row_id: int, viewer_id: int) -> sa.Row | None:
        return await self.one(self._readable(viewer_id)
                              .where(account_conversations.c.id == row_id))

    async def count_unread(self, viewer_id: int, *, limit: int) -> int:
        """The viewer's unread conversations, counted up to `limit` (a badge says "99+")."""
        unread = (sa.select(account_conversations.c.id)
                  .where(account_conversations.c.account_id == viewer_id,
                         account_conversations.c.unread.is_(True)).limit(limit).subquery())
        return await self.scalar(sa.select(sa.func.count()).select_from(unread))

    async def page(self, viewer_id: int, page: Page) -> list[sa.Row]:
        """Most recently active first, paged by the id of each one's last status (as
        Mastodon does, so a conversation moves to the top when it goes on)."""
        query = apply_page(self._readable(viewer_id), account_conversations.c.last_status_id,
                           page)
        return newest_first(await self.all(query), page)
