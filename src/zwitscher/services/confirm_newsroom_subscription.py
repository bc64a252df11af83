"""A subscriber's address follows the link e-mailed to it: from now on it is sent the brand's
public press releases (`mail_newsroom`). Following the link again changes nothing (a mail
program that opened it to check it confirmed no more than the reader would have); an
unconfirmed request's link expires (`subscribe_to_newsroom.LIFETIME`).
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import ValidationFailed
from zwitscher.services.newsroom_links import subscriber_of
from zwitscher.services.subscribe_to_newsroom import LIFETIME


class NewsroomLinkNotValid(ValidationFailed):
    def __init__(self) -> None:
        super().__init__("This link is not valid any more: please subscribe again")


async def confirm_newsroom_subscription(uow: UnitOfWork, *, token: str) -> sa.Row:
    """The brand whose newsroom the address is now subscribed to."""
    subscriber = await subscriber_of(uow, token)
    if subscriber is None:
        raise NewsroomLinkNotValid()
    if subscriber.confirmed_at is None:
        if subscriber.created_at < utcnow() - LIFETIME:
            raise NewsroomLinkNotValid()
        await uow.newsroom_subscribers.update(subscriber.id, confirmed_at=utcnow())
    return await uow.accounts.get(subscriber.brand_id)
