"""A subscriber ends their subscription with the link in every e-mail of the newsroom (or the
one-click POST of RFC 8058 their mail program sends): the row goes, with its address. Asking
again for a link already used is no error (mail programs may send it twice)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.services.newsroom_links import subscriber_of


async def unsubscribe_from_newsroom(uow: UnitOfWork, *, token: str) -> sa.Row | None:
    """The brand the address no longer hears from; None if the link is for no subscription
    (any more)."""
    subscriber = await subscriber_of(uow, token)
    if subscriber is None:
        return None
    await uow.newsroom_subscribers.delete(subscriber.id)
    return await uow.accounts.get(subscriber.brand_id)
