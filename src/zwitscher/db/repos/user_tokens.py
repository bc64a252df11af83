"""Single-use links sent by e-mail, kept as the SHA-256 of their secret."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import user_tokens, users
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id


class UserTokensRepo(Repo):
    async def create(self, *, user_id: int, purpose: str, token_hash: str,
                     expires_at: datetime) -> None:
        await self.conn.execute(user_tokens.insert().values(
            id=new_id(), user_id=user_id, purpose=purpose, token_hash=token_hash,
            expires_at=expires_at, created_at=utcnow()))

    async def take(self, token_hash: str, purposes: tuple[str, ...]) -> sa.Row | None:
        """The person a live token of one of `purposes` belongs to; the token is used up.
        Unknown, expired or already used: None."""
        row = await self.find(token_hash, purposes)
        if row is None:
            return None
        deleted = await self.conn.execute(
            user_tokens.delete().where(user_tokens.c.id == row.token_id))
        # Two requests with one token at once: only the one that deleted it goes on.
        return row if deleted.rowcount == 1 else None

    async def find(self, token_hash: str, purposes: tuple[str, ...]) -> sa.Row | None:
        """As `take`, without using it up (to show the page the link leads to)."""
        return await self.one(
            sa.select(user_tokens.c.id.label("token_id"), user_tokens.c.purpose, users)
            .join(users, users.c.id == user_tokens.c.user_id)
            .where(user_tokens.c.token_hash == token_hash,
                   user_tokens.c.purpose.in_(purposes),
                   user_tokens.c.expires_at > utcnow()))

    async def count_since(self, user_id: int, purpose: str, since: datetime) -> int:
        return await self.scalar(
            sa.select(sa.func.count()).select_from(user_tokens)
            .where(user_tokens.c.user_id == user_id, user_tokens.c.purpose == purpose,
                   user_tokens.c.created_at > since)) or 0

    async def delete_of_user(self, user_id: int, purpose: str | None = None) -> None:
        query = user_tokens.delete().where(user_tokens.c.user_id == user_id)
        if purpose is not None:
            query = query.where(user_tokens.c.purpose == purpose)
        await self.conn.execute(query)
