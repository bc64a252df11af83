"""The apps that hold a person's tokens, and taking an app's access away.

The web interface's own app is left out: its tokens are browser sessions, ended as such
(`services/web_sessions.py`).
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, home_channel
from zwitscher.domain.errors import NotFound
from zwitscher.services.web_sessions import WEB_CLIENT_ID


async def _web_app_id(uow: UnitOfWork) -> int | None:
    app = await uow.oauth.app_by_client_id(WEB_CLIENT_ID)
    return app.id if app is not None else None


async def list_authorized_apps(uow: UnitOfWork, *, user_id: int) -> list[sa.Row]:
    return await uow.oauth.apps_holding_tokens(user_id, excluding_app_id=await _web_app_id(uow))


async def revoke_authorized_app(uow: UnitOfWork, *, user_id: int, account_id: int,
                                app_id: int) -> None:
    """Revoke every token the app holds for the person; an app without one is unknown."""
    if app_id == await _web_app_id(uow):
        raise NotFound()
    revoked = await uow.oauth.revoke_user_tokens(user_id, app_id=app_id)
    if not revoked:
        raise NotFound()
    await uow.push_subscriptions.delete_for_tokens(revoked)
    for token_id in revoked:
        uow.publish(home_channel(account_id), Event.SESSION_REVOKED, None, token_id=token_id)
