"""End an access token's Web Push subscription (a browser session's "Turn off")."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.services.oauth import Viewer


async def unsubscribe_push(uow: UnitOfWork, *, viewer: Viewer) -> bool:
    """Only the viewer's own token's subscription goes; whether there was one."""
    had = await uow.push_subscriptions.for_token(viewer.token_id) is not None
    await uow.push_subscriptions.delete_for_tokens([viewer.token_id])
    return had
