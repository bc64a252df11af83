"""Tell a press conference's stream what happened, once the change commits.

Every message names whom it is for (`meta.to`, read by `streaming/press_conferences.py`):
`all` who may watch; `moderators` and the askers in `meta.askers` (a question still waiting,
a reason for a rejection); `others`, everyone but those. A payload is the same for everyone it
goes to, so it carries nothing of a particular reader: `voted` and `mine` are false.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import PressEvent, press_conference_channel
from zwitscher.views.press_conferences import load_questions, question_data

ALL = "all"
MODERATORS = "moderators"
OTHERS = "others"


def tell(uow: UnitOfWork, conference_id: int, event: PressEvent, payload: dict, *,
         to: str = ALL, askers: tuple[int, ...] = ()) -> None:
    uow.publish(press_conference_channel(conference_id), event, payload, to=to,
                askers=[str(asker) for asker in askers])


async def question_payload(uow: UnitOfWork, question_id: int, *, with_reason: bool = False
                           ) -> dict:
    """A question as the stream carries it (with the reason of a rejection only for the
    moderators' and its asker's message)."""
    row = await uow.press_questions.get(question_id)
    view = (await load_questions(uow, [row], viewer_id=None, moderator=with_reason))[0]
    return question_data(view)


async def tell_about_question(uow: UnitOfWork, event: PressEvent, question: sa.Row, *,
                              to: str = ALL) -> None:
    payload = await question_payload(uow, question.id, with_reason=to == MODERATORS)
    tell(uow, question.conference_id, event, payload, to=to, askers=(question.asker_id,))
