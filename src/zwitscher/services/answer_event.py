"""Answer a live event: accept, decline or maybe. Someone signed in answers on the event's page
or through the API (for an event they may take part in, `see_event.take_part`); an invitee
also through the links of their invitation, without signing in.

Each participant has exactly one current answer: a new answer replaces it, and two answers at
once leave one row (the participant's row is unique per event and account or address, and
its answer is one column). A flood of answers (a link opened again and again, a script) is
refused after `ANSWERS_PER_PARTICIPANT` with 429; what was answered before stays. Answers
stop once the event has ended.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher import i18n
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound, TooManyAttempts, ValidationFailed
from zwitscher.policies.events import ANSWER_WORDS, ANSWERS
from zwitscher.services.event_links import participant_of
from zwitscher.services.see_event import Person, Seen, take_part
from zwitscher.throttle import limit

ANSWERS_PER_PARTICIPANT = limit("30/10 minutes")


class InvitationNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("This invitation link is not valid")


def parse_answer(raw: str) -> str:
    """`accept`, `decline`, `maybe` (or the stored `accepted`, `declined`, `maybe`)."""
    answer = ANSWER_WORDS.get(raw.strip().lower(), raw.strip().lower())
    if answer not in ANSWERS:
        raise ValidationFailed("The answer is accept, decline or maybe")
    return answer


async def join_event(uow: UnitOfWork, seen: Seen, person: Person) -> sa.Row:
    """The person's participation in the event, made (as an attendee) if they have none."""
    if seen.participant is not None:
        return seen.participant
    user = await uow.accounts.user_for_account(person.account_id)
    account = await uow.accounts.get(person.account_id)
    await uow.event_participants.add_unless_present(
        event_id=seen.event.id, account_id=person.account_id,
        name=account.display_name if account else "",
        language=i18n.supported(user.locale if user else None) or i18n.DEFAULT_LANGUAGE,
        invited=False, created_at=utcnow())
    return await uow.event_participants.of_account(seen.event.id, person.account_id)


async def answer_event(uow: UnitOfWork, *, person: Person, event_id: int,
                       answer: str) -> sa.Row:
    """The person's participation with their new answer."""
    answer = parse_answer(answer)
    seen = await take_part(uow, person=person, event_id=event_id)
    _check_open(seen.event)
    participant = await join_event(uow, seen, person)
    return await _record(uow, participant, answer)


async def answer_invitation(uow: UnitOfWork, *, token: str, answer: str) -> sa.Row:
    """Answered through an invitation's link (404 for one that is not genuine)."""
    participant = await participant_of(uow, token)
    if participant is None:
        raise InvitationNotFound()
    answer = parse_answer(answer)
    _check_open(await uow.live_events.get(participant.event_id))
    return await _record(uow, participant, answer)


def _check_open(event: sa.Row) -> None:
    if event.archived_at is not None or event.ends_at <= utcnow():
        raise ValidationFailed("The event is over: answers are closed")


async def _record(uow: UnitOfWork, participant: sa.Row, answer: str) -> sa.Row:
    if not await uow.throttle.allow(ANSWERS_PER_PARTICIPANT, "event:answer",
                                    str(participant.id)):
        raise TooManyAttempts("Too many answers: please wait a while and answer again")
    await uow.event_participants.update(participant.id, answer=answer, answered_at=utcnow())
    return await uow.event_participants.get(participant.id)
