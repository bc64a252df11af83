"""Read the direct messages a legal hold concerns: those the person under hold wrote or
received within its time range, while it is in force, and only by the admin who opened it or
the one who approved it. Every page read is written to the audit log in the same transaction
(who, when, which case, which messages): a read that could not be logged shows nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden
from zwitscher.domain.roles import Actor
from zwitscher.policies.legal_holds import may_read_messages
from zwitscher.services.record_audit import record_audit
from zwitscher.services.review_legal_holds import TARGET, hold_for


@dataclass(frozen=True, slots=True)
class HeldMessages:
    hold: sa.Row
    person: sa.Row | None  # None once the account is gone
    status_ids: list[int]  # a page of them, newest first


async def read_held_messages(uow: UnitOfWork, *, actor: Actor, hold_id: int,
                             page: Page) -> HeldMessages:
    hold, _ = await hold_for(uow, actor=actor, hold_id=hold_id)
    if not may_read_messages(actor, hold, utcnow()):
        raise Forbidden("Only the two admins of a legal hold read the messages it concerns, "
                        "and only while it is in force")
    status_ids = await uow.legal_holds.direct_messages(hold, page)
    await record_audit(uow, actor=actor, action="legal_hold.messages_viewed",
                       target_type=TARGET, target_id=hold.id, account_id=str(hold.account_id),
                       status_ids=[str(status_id) for status_id in status_ids])
    person = await uow.accounts.get(hold.account_id) if hold.account_id else None
    return HeldMessages(hold, person, status_ids)
