"""Security keys and passkeys (WebAuthn credentials), and the challenges of ceremonies under
way."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import security_keys, webauthn_challenges
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id


class SecurityKeysRepo(Repo):
    async def of_user(self, user_id: int) -> list[sa.Row]:
        return await self.all(security_keys.select().where(security_keys.c.user_id == user_id)
                              .order_by(security_keys.c.id))

    async def by_credential_id(self, credential_id: str) -> sa.Row | None:
        return await self.one(security_keys.select()
                              .where(security_keys.c.credential_id == credential_id))

    async def add(self, *, user_id: int, credential_id: str, public_key: bytes, sign_count: int,
                  name: str) -> None:
        await self.conn.execute(security_keys.insert().values(
            id=new_id(), user_id=user_id, credential_id=credential_id, public_key=public_key,
            sign_count=sign_count, name=name, created_at=utcnow()))

    async def remove(self, user_id: int, key_id: int) -> bool:
        done = await self.conn.execute(security_keys.delete().where(
            security_keys.c.id == key_id, security_keys.c.user_id == user_id))
        return done.rowcount == 1

    async def remove_all(self, user_id: int) -> None:
        await self.conn.execute(security_keys.delete().where(security_keys.c.user_id == user_id))

    async def used(self, key_id: int, sign_count: int) -> None:
        await self.conn.execute(security_keys.update().where(security_keys.c.id == key_id)
                                .values(sign_count=sign_count, last_used_at=utcnow()))

    # Challenges.

    async def start_challenge(self, *, browser_hash: str, challenge: str,
                              expires_at: datetime) -> None:
        await self.conn.execute(webauthn_challenges.delete().where(sa.or_(
            webauthn_challenges.c.browser_hash == browser_hash,
            webauthn_challenges.c.expires_at < utcnow())))
        await self.conn.execute(webauthn_challenges.insert().values(
            id=new_id(), browser_hash=browser_hash, challenge=challenge, expires_at=expires_at,
            created_at=utcnow()))

    async def take_challenge(self, browser_hash: str) -> str | None:
        """The browser's live challenge, used up (a signed answer counts once)."""
        row = await self.one(webauthn_challenges.select().where(
            webauthn_challenges.c.browser_hash == browser_hash,
            webauthn_challenges.c.expires_at > utcnow()))
        if row is None:
            return None
        done = await self.conn.execute(webauthn_challenges.delete()
                                       .where(webauthn_challenges.c.id == row.id))
        return row.challenge if done.rowcount == 1 else None
