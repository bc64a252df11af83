"""Single sign-on: sign-ins under way at the identity provider, and who people are there."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import sign_in_attempts, user_identities, users
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id


class IdentitiesRepo(Repo):
    async def start_attempt(self, *, state_hash: str, browser_hash: str, nonce: str,
                            code_verifier: str, next_path: str, expires_at: datetime) -> None:
        now = utcnow()
        # Abandoned attempts (the person closed the provider's page) go here, not in a job.
        await self.conn.execute(sign_in_attempts.delete()
                                .where(sign_in_attempts.c.expires_at < now))
        await self.conn.execute(sign_in_attempts.insert().values(
            id=new_id(), state_hash=state_hash, browser_hash=browser_hash, nonce=nonce,
            code_verifier=code_verifier, next_path=next_path, expires_at=expires_at,
            created_at=now))

    async def take_attempt(self, state_hash: str) -> sa.Row | None:
        """The live attempt with this state, used up; None if unknown, expired or used."""
        row = await self.one(sign_in_attempts.select().where(
            sign_in_attempts.c.state_hash == state_hash,
            sign_in_attempts.c.expires_at > utcnow()))
        if row is None:
            return None
        deleted = await self.conn.execute(
            sign_in_attempts.delete().where(sign_in_attempts.c.id == row.id))
        # The same answer from the provider twice at once: only one request goes on.
        return row if deleted.rowcount == 1 else None

    async def user_of(self, issuer: str, subject: str) -> sa.Row | None:
        return await self.one(
            sa.select(users).join(user_identities, user_identities.c.user_id == users.c.id)
            .where(user_identities.c.issuer == issuer, user_identities.c.subject == subject))

    async def link(self, *, user_id: int, issuer: str, subject: str) -> None:
        now = utcnow()
        await self.conn.execute(user_identities.insert().values(
            id=new_id(), user_id=user_id, issuer=issuer, subject=subject, created_at=now,
            last_used_at=now))

    async def touch(self, issuer: str, subject: str) -> None:
        await self.conn.execute(user_identities.update().where(
            user_identities.c.issuer == issuer, user_identities.c.subject == subject)
            .values(last_used_at=utcnow()))

    async def issuers_of(self, user_id: int) -> list[str]:
        return list(await self.scalars(sa.select(user_identities.c.issuer)
                                       .where(user_identities.c.user_id == user_id)))
