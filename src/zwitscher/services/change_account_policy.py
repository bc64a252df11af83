"""A person's own account policies (for now: follow back whoever follows them)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound


async def change_account_policy(uow: UnitOfWork, *, account_id: int,
                                follow_back: bool | None) -> sa.Row:
    """Policies left as None keep their value. Switching follow-back on affects follows from
    then on; it does not follow back everyone who followed before."""
    if follow_back is not None:
        await uow.accounts.update(account_id, follow_back=follow_back)
    account = await uow.accounts.get(account_id)
    if account is None:
        raise NotFound()
    return account
