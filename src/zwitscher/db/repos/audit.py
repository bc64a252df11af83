"""The audit log: appended to, never changed (there is no update or delete here on purpose)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import audit_log
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id


class AuditRepo(Repo):
    async def append(self, *, actor_id: int | None, actor_label: str, action: str,
                     target_type: str, target_id: int | None, details: dict,
                     actor_signed_in_with: str | None = None) -> int:
        entry_id = new_id()
        await self.conn.execute(audit_log.insert().values(
            id=entry_id, actor_id=actor_id, actor_label=actor_label,
            actor_signed_in_with=actor_signed_in_with, action=action,
            target_type=target_type, target_id=target_id, details=details,
            created_at=utcnow()))
        return entry_id

    async def append_many(self, entries: list[dict]) -> None:
        """Many entries in one go (a bulk import); each dict holds `append`'s arguments."""
        now = utcnow()
        for start in range(0, len(entries), 1000):
            await self.conn.execute(audit_log.insert(), [
                dict(entry, id=new_id(), created_at=now) for entry in entries[start:start + 1000]])

    async def page(self, page: Page, *, action: str | None = None,
                   actor_id: int | None = None, target_type: str | None = None,
                   target_id: int | None = None, actor_labels: Collection[str] = (),
                   since: datetime | None = None, before: datetime | None = None
                   ) -> list[sa.Row]:
        """Entries newest first; `actor_labels`: made by any of these (as the log names them),
        `since` / `before`: made at or after / before these moments."""
        query = audit_log.select()
        if action:
            query = query.where(audit_log.c.action == action)
        if actor_id is not None:
            query = query.where(audit_log.c.actor_id == actor_id)
        if actor_labels:
            query = query.where(audit_log.c.actor_label.in_(list(actor_labels)))
        if target_type:
            query = query.where(audit_log.c.target_type == target_type)
        if target_id is not None:
            query = query.where(audit_log.c.target_id == target_id)
        if since is not None:
            query = query.where(audit_log.c.created_at >= since)
        if before is not None:
            query = query.where(audit_log.c.created_at < before)
        return newest_first(await self.all(apply_page(query, audit_log.c.id, page)), page)
