"""An administrator approves a pending sign-up (registration mode `approval`)."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound


async def approve_account(uow: UnitOfWork, *, username: str) -> None:
    account = await uow.accounts.by_username(username)
    user = await uow.accounts.user_for_account(account.id) if account else None
    if user is None:
        raise NotFound("No account @%(username)s", username=username)
    await uow.accounts.update_user(user.id, approved=True)
