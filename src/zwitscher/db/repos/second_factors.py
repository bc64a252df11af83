"""Two-factor authentication: TOTP secrets, recovery codes, and sign-ins waiting for a code."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import pending_sign_ins, recovery_codes, users
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id


class SecondFactorsRepo(Repo):
    async def set_totp(self, user_id: int, secret: str | None) -> None:
        await self.conn.execute(users.update().where(users.c.id == user_id)
                                .values(totp_secret=secret, totp_last_step=None))

    async def accept_step(self, user_id: int, step: int) -> bool:
        """Record `step` as used; False if it, or a later one, was used already (a replay)."""
        done = await self.conn.execute(users.update().where(
            users.c.id == user_id,
            sa.or_(users.c.totp_last_step.is_(None), users.c.totp_last_step < step))
            .values(totp_last_step=step))
        return done.rowcount == 1

    async def replace_recovery_codes(self, user_id: int, code_hashes: list[str]) -> None:
        await self.conn.execute(recovery_codes.delete()
                                .where(recovery_codes.c.user_id == user_id))
        now = utcnow()
        if code_hashes:
            await self.conn.execute(recovery_codes.insert(), [
                dict(id=new_id(), user_id=user_id, code_hash=code_hash, created_at=now)
                for code_hash in code_hashes])

    async def take_recovery_code(self, user_id: int, code_hash: str) -> bool:
        done = await self.conn.execute(recovery_codes.delete().where(
            recovery_codes.c.user_id == user_id, recovery_codes.c.code_hash == code_hash))
        return done.rowcount == 1

    async def recovery_codes_left(self, user_id: int) -> int:
        return await self.scalar(sa.select(sa.func.count()).select_from(recovery_codes)
                                 .where(recovery_codes.c.user_id == user_id)) or 0

    async def start_pending(self, *, browser_hash: str, user_id: int, next_path: str,
                            first_step: str, expires_at: datetime) -> None:
        now = utcnow()
        await self.conn.execute(pending_sign_ins.delete().where(sa.or_(
            pending_sign_ins.c.browser_hash == browser_hash,
            pending_sign_ins.c.expires_at < now)))
        await self.conn.execute(pending_sign_ins.insert().values(
            id=new_id(), browser_hash=browser_hash, user_id=user_id, next_path=next_path,
            first_step=first_step, expires_at=expires_at, created_at=now))

    async def pending_of(self, browser_hash: str) -> sa.Row | None:
        """The browser's sign-in waiting for a code, with its person's user row."""
        return await self.one(
            sa.select(pending_sign_ins.c.id.label("pending_id"), pending_sign_ins.c.next_path,
                      pending_sign_ins.c.first_step, pending_sign_ins.c.failures, users)
            .join(users, users.c.id == pending_sign_ins.c.user_id)
            .where(pending_sign_ins.c.browser_hash == browser_hash,
                   pending_sign_ins.c.expires_at > utcnow()))

    async def count_failure(self, pending_id: int) -> None:
        await self.conn.execute(pending_sign_ins.update()
                                .where(pending_sign_ins.c.id == pending_id)
                                .values(failures=pending_sign_ins.c.failures + 1))

    async def end_pending(self, pending_id: int) -> bool:
        done = await self.conn.execute(pending_sign_ins.delete()
                                       .where(pending_sign_ins.c.id == pending_id))
        return done.rowcount == 1
