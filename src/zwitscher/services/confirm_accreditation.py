"""A journalist's address follows the link of their accreditation request: the request joins
the press desk's queue. An address is never queued twice: if a request of it waits already,
that one takes the newer details and press groups instead.

Following the link again says where the request stands (a mail program that opened the link
to check it confirmed no more than the journalist would have), until it expires unconfirmed.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import ValidationFailed
from zwitscher.policies.press import PENDING, UNCONFIRMED
from zwitscher.services.request_accreditation import LIFETIME
from zwitscher.services.secrets import digest

DETAILS = ("name", "outlet", "position", "work_url", "note", "language")


class AccreditationLinkNotValid(ValidationFailed):
    def __init__(self) -> None:
        super().__init__("This link is not valid any more: please send your request again")


async def confirm_accreditation(uow: UnitOfWork, *, token: str) -> sa.Row:
    """The request the link is for, confirmed (or as it stands, if it was before)."""
    row = await uow.press_accreditations.by_token(digest(token[:200])) if token else None
    if row is None:
        raise AccreditationLinkNotValid()
    if row.state != UNCONFIRMED:
        return row
    if row.created_at < utcnow() - LIFETIME:
        raise AccreditationLinkNotValid()
    waiting = await uow.press_accreditations.of_address(row.email, PENDING)
    if waiting is None:
        await uow.press_accreditations.update(row.id, state=PENDING, confirmed_at=utcnow())
        return await uow.press_accreditations.get(row.id)
    groups = (await uow.press_accreditations.groups_of([row.id]))[row.id]
    await uow.press_accreditations.delete(row.id)
    # The link keeps working: it now leads to the request that waits.
    await uow.press_accreditations.update(
        waiting.id, token_digest=row.token_digest, confirmed_at=utcnow(),
        **{name: getattr(row, name) for name in DETAILS})
    await uow.press_accreditations.add_groups(waiting.id, [g.id for g in groups],
                                              requested=True)
    return await uow.press_accreditations.get(waiting.id)
