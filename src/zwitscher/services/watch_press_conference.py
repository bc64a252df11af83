"""Watch a press conference: who may (`policies/press_conferences.py`), and what they see of
it. Every other press conference service starts here, so the audience is checked the same way
on every path: the API, the web pages, the stream and the exports.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound, Unauthorized
from zwitscher.domain.roles import ADMINISTRATORS, SPEAKERS, parse_role
from zwitscher.policies.press_conferences import PUBLIC, SHOWN_TO_ALL
from zwitscher.views.press_conferences import (
    ConferenceView,
    QuestionView,
    load_conference,
    load_questions,
)


@dataclass(frozen=True, slots=True)
class Watcher:
    """Who reads or acts: a person (also when their token acts for a brand), or nobody
    signed in (`account_id` None)."""

    account_id: int | None
    role: str | None

    @property
    def signed_in(self) -> bool:
        return self.account_id is not None


ANONYMOUS = Watcher(None, None)


@dataclass(frozen=True, slots=True)
class Watched:
    conference: sa.Row
    moderator: bool


async def moderates(uow: UnitOfWork, watcher: Watcher, brand_id: int) -> bool:
    """Admins, and the brand's authors while their role speaks for the organisation."""
    if watcher.account_id is None:
        return False
    role = parse_role(watcher.role)
    if role in ADMINISTRATORS:
        return True
    return role in SPEAKERS and await uow.brands.grant_of(
        brand_id=brand_id, author_id=watcher.account_id) is not None


async def may_watch(uow: UnitOfWork, watcher: Watcher, conference: sa.Row, *,
                    moderator: bool) -> bool:
    if moderator or conference.audience == PUBLIC:
        return True
    return watcher.account_id is not None and await uow.press_conferences.in_audience(
        conference.id, watcher.account_id)


async def watch_press_conference(uow: UnitOfWork, *, watcher: Watcher,
                                 conference_id: int) -> Watched:
    """The conference, if the watcher may watch it; 404 (saying nothing of whether it exists)
    otherwise."""
    conference = await uow.press_conferences.get(conference_id)
    if conference is None:
        raise NotFound()
    moderator = await moderates(uow, watcher, conference.brand_id)
    if not await may_watch(uow, watcher, conference, moderator=moderator):
        raise NotFound()
    return Watched(conference, moderator)


async def moderate(uow: UnitOfWork, *, watcher: Watcher, conference_id: int) -> sa.Row:
    """The conference, for one of its moderators."""
    watched = await watch_press_conference(uow, watcher=watcher, conference_id=conference_id)
    if not watched.moderator:
        raise Forbidden("Only the brand's authors and admins moderate a press conference")
    return watched.conference


async def take_part(uow: UnitOfWork, *, watcher: Watcher, conference_id: int) -> Watched:
    """The conference, for someone signed in who may watch it (and so ask and vote)."""
    if not watcher.signed_in:
        raise Unauthorized("Sign in to take part in the press conference")
    return await watch_press_conference(uow, watcher=watcher, conference_id=conference_id)


async def question_of(uow: UnitOfWork, conference: sa.Row, question_id: int) -> sa.Row:
    question = await uow.press_questions.get(question_id)
    if question is None or question.conference_id != conference.id:
        raise NotFound()
    return question


@dataclass(frozen=True, slots=True)
class Shown:
    conference: ConferenceView
    questions: list[QuestionView]


async def show_press_conference(uow: UnitOfWork, *, watcher: Watcher, conference_id: int,
                                answered_only: bool = False) -> Shown:
    """The conference and the questions the watcher sees, most votes first; or
    (`answered_only`, the transcript) its answered questions in the order of answering."""
    watched = await watch_press_conference(uow, watcher=watcher, conference_id=conference_id)
    view = await load_conference(uow, watched.conference, viewer_id=watcher.account_id,
                                 moderator=watched.moderator, now=utcnow())
    if answered_only:
        rows = await uow.press_questions.answered(conference_id)
    else:
        rows = await uow.press_questions.shown(conference_id, viewer_id=watcher.account_id,
                                               moderator=watched.moderator)
    questions = await load_questions(uow, rows, viewer_id=watcher.account_id,
                                     moderator=watched.moderator)
    return Shown(view, questions)


async def show_press_question(uow: UnitOfWork, *, watcher: Watcher, conference_id: int,
                              question_id: int) -> QuestionView:
    """One question as the watcher sees it (404 for one they do not see)."""
    watched = await watch_press_conference(uow, watcher=watcher, conference_id=conference_id)
    question = await question_of(uow, watched.conference, question_id)
    views = await load_questions(uow, [question], viewer_id=watcher.account_id,
                                 moderator=watched.moderator)
    view = views[0]
    if not watched.moderator and not view.mine and view.state not in SHOWN_TO_ALL:
        raise NotFound()
    return view
