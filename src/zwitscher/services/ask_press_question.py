"""Ask a question at a press conference: anyone who may watch it and is signed in, while it is
open. The question waits for the moderators (`moderate_press_question`); until then only they
and its asker see it.

A flood from one person is refused (429) before anything is stored: at most one question in
`ZWITSCHER_PRESS_QUESTION_INTERVAL_SECONDS` and at most `ZWITSCHER_PRESS_MAX_PENDING_QUESTIONS`
waiting at once, per person and conference. Questions are checked one at a time per conference
(its row is locked), so two sent at once cannot both slip through.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import PressEvent
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import TooManyAttempts, ValidationFailed
from zwitscher.policies.press_conferences import PENDING, takes_questions
from zwitscher.services.tell_press_conference import MODERATORS, tell_about_question
from zwitscher.services.watch_press_conference import Watcher, take_part

MAX_QUESTION = 500


async def ask_press_question(uow: UnitOfWork, *, watcher: Watcher, conference_id: int,
                             text: str) -> sa.Row:
    watched = await take_part(uow, watcher=watcher, conference_id=conference_id)
    now = utcnow()
    if not takes_questions(watched.conference, now):
        raise ValidationFailed("The press conference is not taking questions now")
    text = text.strip()
    if not text:
        raise ValidationFailed("Please write your question")
    if len(text) > MAX_QUESTION:
        raise ValidationFailed("A question has at most %(count)s characters",
                               count=MAX_QUESTION)
    await uow.press_conferences.lock(conference_id)
    settings = uow.settings
    waiting = await uow.press_questions.pending_of(conference_id, watcher.account_id)
    if waiting >= settings.press_max_pending_questions:
        raise TooManyAttempts("Too many of your questions wait for the moderators "
                              "(%(count)s): ask again once they are handled", count=waiting)
    last = await uow.press_questions.last_asked_at(conference_id, watcher.account_id)
    interval = timedelta(seconds=settings.press_question_interval_seconds)
    if last is not None and now - last < interval:
        raise TooManyAttempts("One question at a time: please wait %(seconds)s seconds "
                              "before asking again",
                              seconds=max(1, round((interval - (now - last)).total_seconds())))
    question_id = await uow.press_questions.add(
        conference_id=conference_id, asker_id=watcher.account_id, text=text, state=PENDING,
        created_at=now)
    question = await uow.press_questions.get(question_id)
    await tell_about_question(uow, PressEvent.SUBMITTED, question, to=MODERATORS)
    return question
