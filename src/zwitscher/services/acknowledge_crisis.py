"""A recipient opens a crisis and answers it: "received", "I am safe" or "I need help".

By their own link (`services/crisis_links.py`: no sign-in needed, a phone at the scene may
have none) or signed in, through the web or the API. The newest answer counts: someone safe at
first may need help later. A link is its recipient's: a person signed in as someone else who
follows another's link (a forwarded e-mail) is refused rather than answering for them. Opening
is recorded by the page itself (a request its script makes), not by fetching the link: mail
filters fetch links to scan them, and a crisis must not count as opened by a virus scanner.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, crisis_channel
from zwitscher.domain.clock import utcnow
from zwitscher.domain.crisis_texts import ANSWERS
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.services.crisis_links import recipient_of_token


async def recipient_by_link(uow: UnitOfWork, *, token: str,
                            signed_in_as: int | None) -> sa.Row:
    recipient = await recipient_of_token(uow, token)
    if signed_in_as is not None and recipient.account_id is not None \
            and recipient.account_id != signed_in_as:
        raise Forbidden("This link belongs to someone else: they answer with it themselves")
    return recipient


async def recipient_in(uow: UnitOfWork, *, crisis_id: int, account_id: int) -> sa.Row:
    recipient = await uow.crises.recipient_of(crisis_id, account_id)
    if recipient is None:
        raise NotFound("Record not found")
    return recipient


async def open_crisis(uow: UnitOfWork, *, recipient: sa.Row) -> None:
    if recipient.opened_at is None:
        await uow.crises.mark_opened(recipient.id, at=utcnow())
        _tell_dashboard(uow, recipient)


async def acknowledge_crisis(uow: UnitOfWork, *, recipient: sa.Row, answer: str) -> None:
    if answer not in ANSWERS:
        raise ValidationFailed("The answer is one of %(answers)s", answers=", ".join(ANSWERS))
    await uow.crises.acknowledge(recipient.id, answer=answer, at=utcnow())
    _tell_dashboard(uow, recipient)


def _tell_dashboard(uow: UnitOfWork, recipient: sa.Row) -> None:
    uow.publish(crisis_channel(recipient.crisis_id), Event.CRISIS_CHANGED, None)
