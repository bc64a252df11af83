"""Moderate a press conference's questions: its moderators (the brand's authors, admins)
accept a question (everyone sees it and may vote for it), merge a duplicate into the question
it repeats (its asker is shown as also asking that one, its votes join it), or reject it with
a reason its asker reads. Only while the conference runs; of two moderators deciding at once,
the second finds the question decided.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import PressEvent
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import ValidationFailed
from zwitscher.policies.press_conferences import (
    ACCEPTED,
    ANSWERED,
    ENDED,
    MERGED,
    PENDING,
    REJECTED,
    UNDECIDED,
    state_now,
)
from zwitscher.services.tell_press_conference import (
    MODERATORS,
    OTHERS,
    question_payload,
    tell,
    tell_about_question,
)
from zwitscher.services.watch_press_conference import Watcher, moderate, question_of

MAX_REASON = 500


async def moderated_question(uow: UnitOfWork, watcher: Watcher, conference_id: int,
                             question_id: int) -> tuple[sa.Row, sa.Row]:
    """The conference and the question, for a moderator while the conference runs."""
    conference = await moderate(uow, watcher=watcher, conference_id=conference_id)
    if state_now(conference, utcnow()) == ENDED:
        raise ValidationFailed("The press conference has ended")
    return conference, await question_of(uow, conference, question_id)


async def _decide(uow: UnitOfWork, question: sa.Row, from_states: tuple[str, ...],
                  watcher: Watcher, **values) -> sa.Row:
    if not await uow.press_questions.update(
            question.id, from_states=from_states, moderated_by_id=watcher.account_id,
            moderated_at=utcnow(), **values):
        raise ValidationFailed("The question was handled already")
    return await uow.press_questions.get(question.id)


async def accept_press_question(uow: UnitOfWork, *, watcher: Watcher, conference_id: int,
                                question_id: int) -> sa.Row:
    _, question = await moderated_question(uow, watcher, conference_id, question_id)
    question = await _decide(uow, question, (PENDING,), watcher, state=ACCEPTED)
    await tell_about_question(uow, PressEvent.ACCEPTED, question)
    return question


async def reject_press_question(uow: UnitOfWork, *, watcher: Watcher, conference_id: int,
                                question_id: int, reason: str) -> sa.Row:
    _, question = await moderated_question(uow, watcher, conference_id, question_id)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("Please give the asker a reason")
    if len(reason) > MAX_REASON:
        raise ValidationFailed("A reason has at most %(count)s characters", count=MAX_REASON)
    was_shown = question.state == ACCEPTED
    question = await _decide(uow, question, UNDECIDED, watcher, state=REJECTED, reason=reason)
    await tell_about_question(uow, PressEvent.REJECTED, question, to=MODERATORS)
    if was_shown:  # everyone else saw it in the queue: it goes, without the reason
        await tell_about_question(uow, PressEvent.REJECTED, question, to=OTHERS)
    return question


async def merge_press_question(uow: UnitOfWork, *, watcher: Watcher, conference_id: int,
                               question_id: int, into_id: int) -> sa.Row:
    """Merge the question into `into_id`, an accepted or answered question it repeats."""
    conference, question = await moderated_question(uow, watcher, conference_id, question_id)
    into = await uow.press_questions.get(into_id)
    if into is None or into.conference_id != conference.id or into.id == question.id \
            or into.state not in (ACCEPTED, ANSWERED):
        raise ValidationFailed("A question is merged into another accepted or answered "
                               "question of the same press conference")
    question = await _decide(uow, question, UNDECIDED, watcher, state=MERGED,
                             merged_into_id=into.id)
    await uow.press_questions.move_votes(question.id, into.id, utcnow())
    tell(uow, conference.id, PressEvent.MERGED,
         {"id": str(question.id), "into": await question_payload(uow, into.id)},
         askers=(question.asker_id,))
    return question
