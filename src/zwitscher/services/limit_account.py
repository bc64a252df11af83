"""Moderators limit an account, or lift the limit (Mastodon's "limited", once "silenced").

A limited account keeps posting and its followers keep reading it; everyone else no longer
meets it by chance: its posts leave the public and hashtag timelines, trends and search, the
account leaves suggestions and the directory, and what it sends to people who do not follow it
waits as a notification request (`policies.visibility.limited_for`, `policies.audience`,
`domain.notification_policy`). Each post stays readable where it is linked, as in Mastodon.
"""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound
from zwitscher.domain.roles import MODERATORS, Actor, parse_role
from zwitscher.services.record_audit import record_audit


async def limit_account(uow: UnitOfWork, *, actor: Actor, account_id: int,
                        limited: bool) -> bool:
    """Returns whether anything changed."""
    if not actor.moderates:
        raise Forbidden("This action is not allowed")
    account = await uow.accounts.get(account_id)
    if account is None:
        raise NotFound()
    user = await uow.accounts.user_for_account(account_id)
    if user is not None and parse_role(user.role) in MODERATORS:
        raise Forbidden("Moderators and admins cannot be limited")
    if (account.limited_at is not None) == limited:
        return False
    await uow.accounts.update(account_id, limited_at=utcnow() if limited else None)
    await record_audit(uow, actor=actor, action="account.limited" if limited
                       else "account.unlimited", target_type="account", target_id=account_id)
    return True
