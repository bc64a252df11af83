"""Press conferences and their questions as a reader sees them, loaded for a page at once, and
as the JSON the API answers and the conference's stream carries (the same shape, so a client
treats an event like a fetched question).

What depends on the reader is decided when loading: whether they voted, and the reason of a
rejection (for its asker and the moderators only, `policies/press_conferences.reason_shown`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.policies.press_conferences import reason_shown, state_now, takes_questions
from zwitscher.views.accounts import AccountView, load_accounts


@dataclass(frozen=True, slots=True)
class AnswerView:
    text: str
    status_id: int | None
    # The author who answered (the post is the brand's, signed with their name).
    answered_by: AccountView | None
    answered_at: datetime


@dataclass(frozen=True, slots=True)
class QuestionView:
    id: int
    conference_id: int
    state: str
    text: str
    asker: AccountView | None
    # The askers of the questions merged into this one.
    also_asked_by: tuple[AccountView, ...]
    votes: int
    voted: bool
    mine: bool
    merged_into_id: int | None
    reason: str | None
    answer: AnswerView | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ConferenceView:
    id: int
    brand: AccountView
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    audience: str
    # The groups of a press-only conference, shown to its moderators: (id, name).
    groups: tuple[tuple[int, str], ...]
    state: str
    taking_questions: bool
    announcement_id: int | None
    ended_at: datetime | None
    created_at: datetime
    # What the reader may do.
    moderator: bool
    may_ask: bool

    @property
    def path(self) -> str:
        return conference_path(self.id)


def conference_path(conference_id: int) -> str:
    """The conference's web page (the announcement links it)."""
    return f"/web/press-conferences/{conference_id}"


async def load_conference(uow: UnitOfWork, conference: sa.Row, *, viewer_id: int | None,
                          moderator: bool, now: datetime) -> ConferenceView:
    brands = await load_accounts(uow, [conference.brand_id])
    groups = tuple((row.id, row.name) for row in await uow.press_conferences.groups_of(
        conference.id)) if moderator else ()
    open_now = takes_questions(conference, now)
    return ConferenceView(
        id=conference.id, brand=brands[conference.brand_id], title=conference.title,
        description=conference.description, starts_at=conference.starts_at,
        ends_at=conference.ends_at, audience=conference.audience, groups=groups,
        state=state_now(conference, now), taking_questions=open_now,
        announcement_id=conference.announcement_id, ended_at=conference.ended_at,
        created_at=conference.created_at, moderator=moderator,
        may_ask=open_now and viewer_id is not None)


async def load_conferences(uow: UnitOfWork, rows: Sequence[sa.Row], *, now: datetime
                           ) -> list[ConferenceView]:
    """Conferences for a list (no reader's rights: the list links each one's page)."""
    brands = await load_accounts(uow, {row.brand_id for row in rows})
    return [ConferenceView(
        id=row.id, brand=brands[row.brand_id], title=row.title, description=row.description,
        starts_at=row.starts_at, ends_at=row.ends_at, audience=row.audience, groups=(),
        state=state_now(row, now), taking_questions=takes_questions(row, now),
        announcement_id=row.announcement_id, ended_at=row.ended_at,
        created_at=row.created_at, moderator=False, may_ask=False)
        for row in rows if row.brand_id in brands]


async def load_questions(uow: UnitOfWork, rows: Sequence[sa.Row], *, viewer_id: int | None,
                         moderator: bool) -> list[QuestionView]:
    """Views of these questions for one reader: three statements for any number."""
    ids = [row.id for row in rows]
    also = await uow.press_questions.also_asked(ids)
    voted = await uow.press_questions.voted_by(viewer_id, ids) if viewer_id else set()
    people = await load_accounts(uow, {row.asker_id for row in rows}
                                 | {row.answered_by_id for row in rows if row.answered_by_id}
                                 | {asker for askers in also.values() for asker in askers})
    views = []
    for row in rows:
        answer = AnswerView(row.answer_text or "", row.answer_status_id,
                            people.get(row.answered_by_id),
                            row.answered_at) if row.answered_at else None
        views.append(QuestionView(
            id=row.id, conference_id=row.conference_id, state=row.state, text=row.text,
            asker=people.get(row.asker_id),
            also_asked_by=tuple(people[a] for a in also.get(row.id, ()) if a in people),
            votes=row.votes, voted=row.id in voted,
            mine=viewer_id is not None and row.asker_id == viewer_id,
            merged_into_id=row.merged_into_id,
            reason=row.reason if reason_shown(row, viewer_id, moderator=moderator) else None,
            answer=answer, created_at=row.created_at))
    return views


def iso(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z" if moment else None


def person_data(account: AccountView | None) -> dict | None:
    if account is None:
        return None
    return {"id": str(account.id), "username": account.username, "acct": account.username,
            "display_name": account.display_name}


def question_data(question: QuestionView) -> dict:
    """A question as JSON (the API's `PressQuestion`, and the stream's payload)."""
    answer = question.answer
    return {
        "id": str(question.id), "conference_id": str(question.conference_id),
        "state": question.state, "text": question.text,
        "asker": person_data(question.asker),
        "also_asked_by": [person_data(person) for person in question.also_asked_by],
        "votes": question.votes, "voted": question.voted, "mine": question.mine,
        "merged_into_id": str(question.merged_into_id) if question.merged_into_id else None,
        "rejection_reason": question.reason,
        "answer": None if answer is None else {
            "text": answer.text,
            "status_id": str(answer.status_id) if answer.status_id else None,
            "answered_by": person_data(answer.answered_by),
            "answered_at": iso(answer.answered_at)},
        "created_at": iso(question.created_at)}


def conference_data(conference: ConferenceView, origin: str) -> dict:
    """A conference as JSON (the API's `PressConference`)."""
    return {
        "id": str(conference.id), "brand": person_data(conference.brand),
        "title": conference.title, "description": conference.description,
        "starts_at": iso(conference.starts_at), "ends_at": iso(conference.ends_at),
        "audience": conference.audience,
        "groups": [{"id": str(group_id), "name": name} for group_id, name in conference.groups],
        "state": conference.state, "taking_questions": conference.taking_questions,
        "announcement_id": (str(conference.announcement_id) if conference.announcement_id
                            else None),
        "ended_at": iso(conference.ended_at), "created_at": iso(conference.created_at),
        "url": origin + conference.path, "moderator": conference.moderator,
        "may_ask": conference.may_ask}
