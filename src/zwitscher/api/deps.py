"""What routes need from a request: who is calling (with scope checks), where from, the UoWs."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from zwitscher.db.uow import UnitOfWork, UnitsOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import DomainError, Forbidden, NotFound, Unauthorized
from zwitscher.domain.ids import parse_id
from zwitscher.domain.roles import Actor, Role, parse_role
from zwitscher.services.oauth import Viewer, authenticate_digest
from zwitscher.services.secrets import digest

_HOST_RE = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


def uows(request: Request) -> UnitsOfWork:
    return request.app.state.uows


def origin(request: Request) -> str:
    """The scheme and host the client used; the configured base URL if the Host looks odd."""
    host = request.headers.get("host", "")
    if not _HOST_RE.match(host):
        return request.app.state.settings.base_url
    return f"{request.scope.get('scheme', 'http')}://{host}"


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None
    return request.query_params.get("access_token") or None


async def _viewer(request: Request) -> Viewer | None:
    cached = getattr(request.state, "viewer", False)
    if cached is not False:
        return cached
    token = bearer_token(request)
    viewer = None
    if token is not None:
        viewer = await _authenticate(uows(request), token)
    request.state.viewer = viewer
    return viewer


async def _authenticate(units: UnitsOfWork, token: str) -> Viewer:
    """Who a token stands for, from the process's cache when it was asked lately; whatever
    changes a token, a person or a brand grant drops the cache (`zwitscher.caches`)."""
    key = digest(token)
    cache = units.caches.viewers
    cached = cache.get(key)
    if cached is not None and (cached.expires_at is None or cached.expires_at > utcnow()):
        return cached.viewer
    generation = cache.generation
    found = await units.read_at_once(lambda uow: authenticate_digest(uow, key))
    cache.put(key, found, loaded_in=generation)
    return found.viewer


def scoped(scope: str, *alternatives: str, user: bool = True) -> Callable:
    """A dependency: the caller must hold `scope` (or one of `alternatives`); with `user`, a
    person must have signed in."""

    async def dependency(request: Request) -> Viewer:
        viewer = await _viewer(request)
        if viewer is None:
            raise Unauthorized("The access token is invalid")
        if user and viewer.account_id is None:
            # Mastodon's exact text, without the "Validation failed:" prefix.
            raise DomainError("This method requires an authenticated user")
        if not any(viewer.may(name) for name in (scope, *alternatives)):
            raise Forbidden("This action is outside the authorized scopes")
        return viewer

    # What the OpenAPI document says of the routes that depend on it (`api.openapi`).
    dependency.scopes = (scope, *alternatives)
    dependency.needs_user = user
    return dependency


async def optional_viewer(request: Request) -> Viewer | None:
    return await _viewer(request)


async def actor_of(uow: UnitOfWork, viewer: Viewer) -> Actor:
    """The signed-in person as the audit log names them (the person, also when their token
    acts for a brand account)."""
    person_id = viewer.person_id or viewer.account_id
    account = await uow.accounts.get(person_id)
    role = parse_role(viewer.role) or Role.GUEST
    signed_in_with = await uow.web_sessions.method_of_token(viewer.token_id)
    if signed_in_with is None:
        app = await uow.oauth.app(viewer.app_id)
        signed_in_with = f"app: {app.name}"[:200] if app else "app"
    return Actor(person_id, role, f"@{account.username}" if account else "?", signed_in_with)


def path_id(raw: str) -> int:
    """An id from the path; anything not shaped like one is simply not found."""
    value = parse_id(raw)
    if value is None:
        raise NotFound()
    return value


async def _origin(request: Request) -> str:
    # A dependency that is a plain function would run on a worker thread: a hop per request.
    return origin(request)


OptionalViewer = Annotated[Viewer | None, Depends(optional_viewer)]
Origin = Annotated[str, Depends(_origin)]
