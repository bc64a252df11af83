"""Subscribe an access token to Web Push: one subscription per token, a new one replaces it."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.push import parse_auth, parse_endpoint, parse_p256dh
from zwitscher.policies.push import POLICIES, permitted_alerts
from zwitscher.services.oauth import Viewer


def check_policy(policy: str) -> str:
    if policy not in POLICIES:
        raise ValidationFailed("Policy must be one of %(choices)s", choices=', '.join(POLICIES))
    return policy


async def subscribe_push(uow: UnitOfWork, *, viewer: Viewer, access_token: str, endpoint: str,
                         p256dh: str, auth: str, standard: bool, alerts: dict[str, bool],
                         policy: str) -> sa.Row:
    """Everything is checked before the earlier subscription goes: a refused request leaves
    the token's subscription as it was. `access_token` is what the pushes carry for apps
    holding several accounts; a browser session passes "" (its service worker reads the
    pushes and is never to hold a token; delivery finds the token by its id)."""
    values = dict(
        endpoint=parse_endpoint(endpoint, allow_http=uow.settings.push_allow_http),
        p256dh=parse_p256dh(p256dh), auth=parse_auth(auth), policy=check_policy(policy),
        alerts=permitted_alerts(alerts, role=viewer.role))
    return await uow.push_subscriptions.replace(
        token_id=viewer.token_id, account_id=viewer.account_id, access_token=access_token,
        standard=standard, **values)
