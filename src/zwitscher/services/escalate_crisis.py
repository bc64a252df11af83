"""Escalation: whoever has neither opened nor acknowledged a crisis some minutes after it
was sent gets it on the next channel of its escalation (say, a text message after an unread push),
and as long again later on the one after that. A closed crisis escalates no further. The job runs
in the transaction that adds the deliveries, so a step happens once, and a person who opens the
crisis while it runs is either counted as opened or gets the message: never both half."""

from __future__ import annotations

from datetime import timedelta

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.jobs import EscalateCrisis
from zwitscher.services.send_crisis import queue_deliveries


async def escalate_crisis(uow: UnitOfWork, *, crisis_id: int, step: int) -> None:
    crisis = await uow.crises.get(crisis_id)
    if crisis is None or crisis.closed_at is not None or step > len(crisis.escalation):
        return
    waiting = await uow.crises.unanswered(crisis_id, before_step=step)
    await uow.crises.set_step([recipient.id for recipient in waiting], step)
    await queue_deliveries(uow, crisis_id=crisis_id, channels=[crisis.escalation[step - 1]],
                           round=step, recipients=[recipient._mapping for recipient in waiting])
    if step < len(crisis.escalation):
        await uow.enqueue(EscalateCrisis(crisis_id=crisis_id, step=step + 1),
                          delay=timedelta(seconds=crisis.escalate_after_seconds))
