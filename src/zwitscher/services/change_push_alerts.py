"""Change which notifications a token's push subscription delivers (its alerts and policy)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound
from zwitscher.policies.push import permitted_alerts
from zwitscher.services.oauth import Viewer
from zwitscher.services.subscribe_push import check_policy


async def change_push_alerts(uow: UnitOfWork, *, viewer: Viewer, alerts: dict[str, bool],
                             policy: str) -> sa.Row:
    """As Mastodon does, the given alerts replace the earlier ones: those left out are off."""
    if await uow.push_subscriptions.for_token(viewer.token_id) is None:
        raise NotFound()
    await uow.push_subscriptions.change(
        viewer.token_id, alerts=permitted_alerts(alerts, role=viewer.role),
        policy=check_policy(policy))
    return await uow.push_subscriptions.for_token(viewer.token_id)
