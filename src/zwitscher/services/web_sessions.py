"""Browser sessions of the web interface: sign in, recognise, sign out.

A session is a random secret in an HttpOnly cookie; the database keeps its SHA-256 only. Each
session holds an OAuth token of the built-in web app, so a signed-in browser is a `Viewer` like
any API client: the same services, visibility rules and streams apply, and revoking the
person's tokens (disabling them) ends their browser sessions too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, home_channel
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound, Unauthorized
from zwitscher.services import oauth
from zwitscher.services.secrets import digest, new_secret

WEB_CLIENT_ID = "zwitscher-web"
WEB_SCOPES = "read write follow push"
# Writing `last_seen_at` on every page view would make each read a write.
TOUCH_AFTER = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class WebSession:
    id: int
    viewer: oauth.Viewer
    # `last_seen_at` is old enough to be written again (see `touch_web_session`).
    stale: bool


class WrongCredentials(Unauthorized):
    pass


async def _web_app_id(uow: UnitOfWork) -> int:
    app = await uow.oauth.app_by_client_id(WEB_CLIENT_ID)
    if app is not None:
        return app.id
    return await uow.oauth.create_app(
        name="Zwitscher web", website=None, redirect_uris=[oauth.OOB_REDIRECT],
        scopes=WEB_SCOPES, client_id=WEB_CLIENT_ID, client_secret_hash=digest(new_secret()))


async def start_web_session(uow: UnitOfWork, *, login: str, password: str,
                            user_agent: str) -> str:
    """Check the credentials and open a session; returns the cookie's secret."""
    user = await oauth.authenticate_user(uow, login=login, password=password)
    if user is None:
        raise WrongCredentials("Wrong login or password")
    oauth.check_user_may_sign_in(user)
    return await open_web_session(uow, user_id=user.id, user_agent=user_agent)


async def open_web_session(uow: UnitOfWork, *, user_id: int, user_agent: str) -> str:
    token_id = await uow.oauth.create_token(
        token_hash=digest(new_secret()), app_id=await _web_app_id(uow), user_id=user_id,
        scopes=WEB_SCOPES)
    secret = new_secret()
    await uow.web_sessions.create(token_hash=digest(secret), user_id=user_id,
                                  oauth_token_id=token_id, user_agent=user_agent)
    return secret


async def find_web_session(uow: UnitOfWork, *, secret: str) -> WebSession | None:
    """The live session for a cookie, or None (unknown, signed out, revoked, disabled)."""
    row = await uow.web_sessions.by_token_hash(digest(secret)) if secret else None
    if row is None:
        return None
    try:
        viewer = oauth.viewer_of_token(await uow.oauth.token_with_user_by_id(row.oauth_token_id))
    except (Unauthorized, Forbidden):
        return None
    return WebSession(row.id, viewer, stale=utcnow() - row.last_seen_at > TOUCH_AFTER)


async def touch_web_session(uow: UnitOfWork, *, session: WebSession) -> None:
    await uow.web_sessions.touch(session.id)


async def end_web_session(uow: UnitOfWork, *, secret: str) -> None:
    row = await uow.web_sessions.by_token_hash(digest(secret)) if secret else None
    if row is not None:
        await _end(uow, row)


async def list_web_sessions(uow: UnitOfWork, *, user_id: int) -> list[sa.Row]:
    """A person's signed-in browsers, the most recently active first."""
    return await uow.web_sessions.of_user(user_id)


async def end_other_web_session(uow: UnitOfWork, *, user_id: int, current_session_id: int,
                                session_id: int) -> None:
    """Sign out one of the person's other browsers. Another person's session is as unknown
    as one that never existed; ending this browser's own is what signing out is for."""
    row = next((row for row in await uow.web_sessions.of_user(user_id)
                if row.id == session_id and row.id != current_session_id), None)
    if row is None:
        raise NotFound()
    await _end(uow, row)


async def end_other_web_sessions(uow: UnitOfWork, *, user_id: int,
                                 current_session_id: int) -> int:
    """Sign out every browser of the person but this one; returns how many ended."""
    others = [row for row in await uow.web_sessions.of_user(user_id)
              if row.id != current_session_id]
    for row in others:
        await _end(uow, row)
    return len(others)


async def _end(uow: UnitOfWork, row: sa.Row) -> None:
    token = await uow.oauth.token_with_user_by_id(row.oauth_token_id)
    await uow.oauth.revoke_token_by_id(row.oauth_token_id)
    await uow.web_sessions.delete(row.id)
    if token is not None:
        # The page's live stream must end now, not at its next reconnect.
        uow.publish(home_channel(token.account_id), Event.SESSION_REVOKED, None, token_id=token.id)
