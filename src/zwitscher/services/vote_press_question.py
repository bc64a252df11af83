"""Vote for an accepted question of a press conference (or take the vote back): one vote per
person and question, never for one's own; the queue is sorted by votes, then by age. Everyone
watching hears the new count."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import PressEvent
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import ValidationFailed
from zwitscher.policies.press_conferences import ACCEPTED, takes_questions
from zwitscher.services.tell_press_conference import tell
from zwitscher.services.watch_press_conference import Watcher, question_of, take_part


async def _votable(uow: UnitOfWork, watcher: Watcher, conference_id: int,
                   question_id: int) -> sa.Row:
    watched = await take_part(uow, watcher=watcher, conference_id=conference_id)
    if not takes_questions(watched.conference, utcnow()):
        raise ValidationFailed("The press conference is not taking questions now")
    question = await question_of(uow, watched.conference, question_id)
    if question.state != ACCEPTED:
        raise ValidationFailed("Only accepted questions that wait for an answer take votes")
    return question


async def _tell_count(uow: UnitOfWork, question_id: int, conference_id: int) -> sa.Row:
    question = await uow.press_questions.get(question_id)
    tell(uow, conference_id, PressEvent.VOTES,
         {"id": str(question.id), "votes": question.votes})
    return question


async def vote_press_question(uow: UnitOfWork, *, watcher: Watcher, conference_id: int,
                              question_id: int) -> sa.Row:
    question = await _votable(uow, watcher, conference_id, question_id)
    if question.asker_id == watcher.account_id:
        raise ValidationFailed("You cannot vote for your own question")
    if await uow.press_questions.add_vote(question.id, watcher.account_id, utcnow()):
        return await _tell_count(uow, question.id, conference_id)
    return question


async def unvote_press_question(uow: UnitOfWork, *, watcher: Watcher, conference_id: int,
                                question_id: int) -> sa.Row:
    question = await _votable(uow, watcher, conference_id, question_id)
    if await uow.press_questions.remove_vote(question.id, watcher.account_id):
        return await _tell_count(uow, question.id, conference_id)
    return question
