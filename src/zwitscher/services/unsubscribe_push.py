"""End an access token's Web Push subscription (an app's DELETE, a browser's "Turn off")."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.services.oauth import Viewer


async def unsubscribe_push(uow: UnitOfWork, *, viewer: Viewer) -> None:
    """Only the viewer's own token's subscription goes."""
    await uow.push_subscriptions.delete_for_tokens([viewer.token_id])
