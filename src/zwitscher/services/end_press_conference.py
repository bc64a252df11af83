"""End a press conference: at its end (the job queued when it was called), or earlier by one
of its moderators. From then on it takes no questions, votes or answers; its transcript stays.
Every open stream hears `conference.ended`."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import PressEvent
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.jobs import EndPressConference
from zwitscher.policies.press_conferences import ENDED, OPEN, SCHEDULED
from zwitscher.services.tell_press_conference import tell
from zwitscher.services.watch_press_conference import Watcher, moderate
from zwitscher.views.press_conferences import iso


async def end_press_conference(uow: UnitOfWork, *, watcher: Watcher,
                               conference_id: int) -> None:
    """Ended early by a moderator."""
    conference = await moderate(uow, watcher=watcher, conference_id=conference_id)
    if not await _end(uow, conference_id, conference.state, ended_by_id=watcher.account_id):
        raise ValidationFailed("The press conference has ended already")


async def end_at_its_end(uow: UnitOfWork, *, conference_id: int) -> None:
    conference = await uow.press_conferences.get(conference_id)
    if conference is None or conference.state == ENDED:
        return
    now = utcnow()
    if conference.ends_at > now:  # a job run early (a clock moved): wait for the end
        await uow.enqueue(EndPressConference(conference_id=conference_id),
                          delay=conference.ends_at - now)
        return
    await _end(uow, conference_id, conference.state, ended_by_id=None)


async def _end(uow: UnitOfWork, conference_id: int, state: str, *,
               ended_by_id: int | None) -> bool:
    if state not in (SCHEDULED, OPEN):
        return False
    now = utcnow()
    if not await uow.press_conferences.update(conference_id, from_state=state, state=ENDED,
                                              ended_at=now, ended_by_id=ended_by_id):
        return False
    tell(uow, conference_id, PressEvent.ENDED, {"id": str(conference_id), "ended_at": iso(now)})
    return True
