"""The durable job queue (the outbox): rows written in the transaction that causes the work.

Claiming marks a batch `running` with a lease; a worker that dies leaves its jobs to be claimed
again once the lease runs out. On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets many workers claim
at once without taking the same row; SQLite has one writer and needs no such clause.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import timedelta

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import jobs
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id

MAX_ATTEMPTS = 8


class JobsRepo(Repo):
    async def enqueue(self, kind: str, payload: dict, *, delay: timedelta | None = None) -> int:
        now = utcnow()
        job_id = new_id()
        await self.conn.execute(jobs.insert().values(
            id=job_id, kind=kind, payload=payload, state="queued",
            run_at=now + delay if delay else now, created_at=now))
        return job_id

    async def pending(self, kind: str) -> bool:
        """Whether a job of this kind is queued or running."""
        return await self.exists(sa.select(jobs.c.id).where(
            jobs.c.kind == kind, jobs.c.state.in_(("queued", "running"))))

    async def claim(self, *, limit: int, lease: timedelta, kinds: Collection[str] = (),
                    other_kinds: bool = False) -> list[sa.Row]:
        """Due jobs, oldest first; of `kinds` only, or with `other_kinds`, of all but those."""
        now = utcnow()
        due = (
            sa.select(jobs.c.id)
            .where(sa.or_(sa.and_(jobs.c.state == "queued", jobs.c.run_at <= now),
                          sa.and_(jobs.c.state == "running", jobs.c.locked_until < now)))
            .order_by(jobs.c.run_at, jobs.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if kinds:
            due = due.where(jobs.c.kind.not_in(kinds) if other_kinds else jobs.c.kind.in_(kinds))
        ids = await self.scalars(due)
        if not ids:
            return []
        await self.conn.execute(
            jobs.update().where(jobs.c.id.in_(ids))
            .values(state="running", locked_until=now + lease, attempts=jobs.c.attempts + 1))
        return await self.all(jobs.select().where(jobs.c.id.in_(ids)).order_by(jobs.c.id))

    async def complete(self, job_id: int, *, attempts: int | None = None) -> bool:
        """Delete a finished job. Given `attempts` (the claim it ran under), only while that
        claim holds: False means its lease ran out and another worker claimed it meanwhile, so
        the caller must roll its work back or the job would complete twice."""
        query = jobs.delete().where(jobs.c.id == job_id)
        if attempts is not None:
            query = query.where(jobs.c.attempts == attempts)
        return (await self.conn.execute(query)).rowcount > 0

    async def fail(self, job: sa.Row, error: str) -> None:
        """Retry later with exponential backoff; after MAX_ATTEMPTS keep it, visibly failed.
        A job another worker has claimed again since is left to that worker."""
        if job.attempts >= MAX_ATTEMPTS:
            values = dict(state="failed", locked_until=None, last_error=error)
        else:
            backoff = timedelta(seconds=min(2 ** job.attempts, 600))
            values = dict(state="queued", locked_until=None, last_error=error,
                          run_at=utcnow() + backoff)
        await self.conn.execute(jobs.update().where(
            jobs.c.id == job.id, jobs.c.attempts == job.attempts).values(**values))

    async def extend(self, claims: Mapping[int, int], *, lease: timedelta) -> None:
        """Renew the leases of jobs still running under these claims (job id -> attempts), so
        that no other claim takes them while they run."""
        until = utcnow() + lease
        for job_id, attempts in claims.items():
            await self.conn.execute(jobs.update().where(
                jobs.c.id == job_id, jobs.c.attempts == attempts, jobs.c.state == "running")
                .values(locked_until=until))

    async def release(self, claimed: list[sa.Row]) -> None:
        """Hand back claimed jobs that never started (a stopping worker), due at once."""
        for job in claimed:
            await self.conn.execute(jobs.update().where(
                jobs.c.id == job.id, jobs.c.attempts == job.attempts, jobs.c.state == "running")
                .values(state="queued", locked_until=None, attempts=jobs.c.attempts - 1))
