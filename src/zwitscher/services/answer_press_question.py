"""Answer a question at a press conference: an author of the brand posts the answer as the
brand, as a reply to the conference's announcement (its audience is the announcement's), the
brand signature naming who answered. The post quotes the question and names its askers (a
mention each: they are told their question was answered); the question is answered and links
the post.

A quote never mentions or tags anyone itself: an asker's `@name` or `#tag` is kept as text,
so a question cannot make the brand address people or join hashtags. The quote is shortened
where the answer needs the room.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain import text as text_rules
from zwitscher.domain.channels import PressEvent
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, ValidationFailed
from zwitscher.domain.visibility import Visibility
from zwitscher.policies.press_conferences import ANSWERED, GROUPS, UNDECIDED
from zwitscher.services.call_press_conference import posts_without_approval
from zwitscher.services.moderate_press_question import moderated_question
from zwitscher.services.post_status import StatusDraft, post_status
from zwitscher.services.tell_press_conference import tell_about_question
from zwitscher.services.watch_press_conference import Watcher

# Askers named by a mention in the answer; more are counted ("+2").
MENTIONED_ASKERS = 3
# The shortest a quote is cut to before an answer counts as too long.
SHORTEST_QUOTE = 60
_WORD_JOINER = "\u2060"


def inert(text: str) -> str:
    """The text with its `@` and `#` kept from making mentions and hashtags."""
    return text.replace("@", "@" + _WORD_JOINER).replace("#", "#" + _WORD_JOINER)


def answer_text(*, question: str, askers: list[str], answer: str, limit: int) -> str:
    """`❓ @asker, @other: “the question”` and the answer below it, within `limit`."""
    named = ", ".join(f"@{name}" for name in askers[:MENTIONED_ASKERS])
    if len(askers) > MENTIONED_ASKERS:
        named += f" +{len(askers) - MENTIONED_ASKERS}"
    quote = " ".join(inert(question).split())
    frame = f"❓ {named}: “”\n\n{answer}"
    room = limit - text_rules.character_count(frame)
    if text_rules.character_count(quote) > room:
        if room < SHORTEST_QUOTE:
            raise ValidationFailed(
                "The answer is too long: with the question quoted, at most %(count)s "
                "characters are left", count=max(len(answer) - (SHORTEST_QUOTE - room), 0))
        quote = quote[:room - 1].rstrip() + "…"
    return f"❓ {named}: “{quote}”\n\n{answer}"


async def answer_press_question(uow: UnitOfWork, *, watcher: Watcher, conference_id: int,
                                question_id: int, text: str,
                                application_id: int | None = None) -> sa.Row:
    conference, question = await moderated_question(uow, watcher, conference_id, question_id)
    if not await posts_without_approval(uow, person_id=watcher.account_id, role=watcher.role,
                                        brand_id=conference.brand_id):
        raise Forbidden("Your posts as this brand need approval: another author answers")
    if question.state not in UNDECIDED:
        raise ValidationFailed("The question was handled already")
    answer = text.strip()
    if not answer:
        raise ValidationFailed("Please write the answer")
    also = (await uow.press_questions.also_asked([question.id])).get(question.id, [])
    people = await uow.accounts.get_many([question.asker_id, *also])
    askers = [people[i].username for i in (question.asker_id, *also) if i in people]
    group_ids = [row.id for row in await uow.press_conferences.groups_of(conference.id)]
    draft = StatusDraft(
        text=answer_text(question=question.text, askers=list(dict.fromkeys(askers)),
                         answer=answer, limit=uow.settings.max_characters),
        visibility=Visibility.GROUP if conference.audience == GROUPS else Visibility.PUBLIC,
        group_ids=tuple(group_ids) if conference.audience == GROUPS else (),
        in_reply_to_id=conference.announcement_id)
    status = await post_status(uow, author_id=conference.brand_id,
                               posted_by_id=watcher.account_id, draft=draft,
                               application_id=application_id)
    if not await uow.press_questions.update(
            question.id, from_states=UNDECIDED, state=ANSWERED, answer_text=answer,
            answer_status_id=status.id, answered_by_id=watcher.account_id,
            answered_at=utcnow()):
        raise ValidationFailed("The question was handled already")
    question = await uow.press_questions.get(question.id)
    await tell_about_question(uow, PressEvent.ANSWERED, question)
    return question
