from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import oauth_tokens, users, web_sessions
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id


class WebSessionsRepo(Repo):
    async def create(self, *, token_hash: str, user_id: int, oauth_token_id: int,
                     user_agent: str, method: str, id_token: str | None = None) -> int:
        session_id = new_id()
        now = utcnow()
        await self.conn.execute(web_sessions.insert().values(
            id=session_id, token_hash=token_hash, user_id=user_id,
            oauth_token_id=oauth_token_id, user_agent=user_agent[:300], method=method,
            id_token=id_token, created_at=now,
            last_seen_at=now))
        return session_id

    async def method_of_token(self, oauth_token_id: int) -> str | None:
        """How the browser session holding this token signed in; None: no browser's token."""
        return await self.scalar(sa.select(web_sessions.c.method)
                                 .where(web_sessions.c.oauth_token_id == oauth_token_id))

    async def get(self, session_id: int) -> sa.Row | None:
        return await self.one(web_sessions.select().where(web_sessions.c.id == session_id))

    async def by_token_hash(self, token_hash: str) -> sa.Row | None:
        return await self.one(web_sessions.select().where(web_sessions.c.token_hash == token_hash))

    async def with_user(self, token_hash: str) -> sa.Row | None:
        """The session with its person's user row, in one query (this runs on every page):
        the user's columns under their own names, the session's as `session_id`,
        `oauth_token_id`, `method` and `last_seen_at`."""
        return await self.one(
            sa.select(web_sessions.c.id.label("session_id"), web_sessions.c.oauth_token_id,
                      web_sessions.c.method, web_sessions.c.last_seen_at, users)
            .join(users, users.c.id == web_sessions.c.user_id)
            .where(web_sessions.c.token_hash == token_hash))

    async def touch(self, session_id: int) -> None:
        await self.conn.execute(web_sessions.update().where(web_sessions.c.id == session_id)
                                .values(last_seen_at=utcnow()))

    async def delete(self, session_id: int) -> None:
        await self.conn.execute(web_sessions.delete().where(web_sessions.c.id == session_id))

    async def of_user(self, user_id: int) -> list[sa.Row]:
        """A person's sessions whose token still works, the most recently active first."""
        return await self.all(
            sa.select(web_sessions)
            .join(oauth_tokens, oauth_tokens.c.id == web_sessions.c.oauth_token_id)
            .where(web_sessions.c.user_id == user_id, oauth_tokens.c.revoked_at.is_(None))
            .order_by(web_sessions.c.last_seen_at.desc(), web_sessions.c.id.desc()))

    async def delete_of_user(self, user_id: int, *, keep: int | None = None) -> None:
        query = web_sessions.delete().where(web_sessions.c.user_id == user_id)
        if keep is not None:
            query = query.where(web_sessions.c.id != keep)
        await self.conn.execute(query)
