"""Note when a directory (SCIM) token was used, so admins see which directories still sync.

A directory may send thousands of requests in one sync: each process writes a token's time at
most once a minute (`due` says when), so recording costs one small write a minute, not one per
request.
"""

from __future__ import annotations

import time

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow

EVERY_SECONDS = 60.0
_last_recorded: dict[int, float] = {}


def due(token_id: int) -> bool:
    """Whether this process should record the token's use now (and from now on counts it
    recorded)."""
    now = time.monotonic()
    if now - _last_recorded.get(token_id, -EVERY_SECONDS) < EVERY_SECONDS:
        return False
    _last_recorded[token_id] = now
    return True


async def record_token_use(uow: UnitOfWork, *, token_id: int) -> None:
    await uow.oauth.mark_used(token_id, utcnow())
