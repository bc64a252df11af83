"""Directory (SCIM) tokens from the administration console: list the live ones, issue one
(shown once: only its hash is kept), revoke one. Admins and owners only; issuing and revoking
are audited. The command line issues them too (`zwitscher scim token`, `issue_directory_token`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.services.oauth import issue_directory_token
from zwitscher.services.record_audit import record_audit

MAX_NAME_LENGTH = 100
# `issue_directory_token` names the token's app so; the console shows the part after it.
APP_PREFIX = "Directory (SCIM): "


@dataclass(frozen=True, slots=True)
class DirectoryToken:
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None  # to the minute (services/record_token_use.py)


def _check_admin(actor: Actor) -> None:
    if not actor.administers:
        raise Forbidden("Only admins may manage directory tokens")


async def directory_tokens(uow: UnitOfWork, *, actor: Actor) -> list[DirectoryToken]:
    _check_admin(actor)
    return [DirectoryToken(row.id, row.name.removeprefix(APP_PREFIX), row.created_at,
                           row.last_used_at)
            for row in await uow.oauth.directory_tokens()]


async def create_directory_token(uow: UnitOfWork, *, actor: Actor, name: str) -> str:
    """The new token itself: the only time anyone sees it."""
    _check_admin(actor)
    name = name.strip()
    if not name:
        raise ValidationFailed("Name can't be blank")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationFailed("Name is too long (at most %(max_length)s characters)",
                               max_length=MAX_NAME_LENGTH)
    return await issue_directory_token(uow, actor=actor, name=name)


async def revoke_directory_token(uow: UnitOfWork, *, actor: Actor, token_id: int) -> None:
    """The directory using it is refused from its next request on."""
    _check_admin(actor)
    if not await uow.oauth.revoke_directory_token(token_id):
        raise NotFound()
    await record_audit(uow, actor=actor, action="directory.token_revoked",
                       target_type="token", target_id=token_id)
