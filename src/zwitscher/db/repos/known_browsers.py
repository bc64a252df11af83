"""Browsers each person has signed in from."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import known_browsers
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id


class KnownBrowsersRepo(Repo):
    async def remember(self, user_id: int, browser_hash: str) -> bool:
        """Note the browser; True if it is new for this person."""
        if await self.exists(sa.select(known_browsers.c.id).where(
                known_browsers.c.user_id == user_id,
                known_browsers.c.browser_hash == browser_hash)):
            return False
        await self.insert_ignoring_conflicts(known_browsers, [dict(
            id=new_id(), user_id=user_id, browser_hash=browser_hash, created_at=utcnow())])
        return True

    async def count_of(self, user_id: int) -> int:
        return await self.scalar(sa.select(sa.func.count()).select_from(known_browsers)
                                 .where(known_browsers.c.user_id == user_id)) or 0
