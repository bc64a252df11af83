"""The consent rules of live events, for a post that carries an event's hashtag:
- it @mentions a participant who does not consent to being **named**;
- it quotes (text in quotation marks: "…", „…“, «…», »…«, “…”) and @mentions a participant
  who does not consent to being **quoted**;
- it has pictures (any attachment) and @mentions a participant who does not consent to being
  **shown in pictures**.
Each is a problem naming the participant and the consent (`policies/events.py: consents`
reads `unknown`). The author's own consent is theirs to ignore.

A post made through the event with a problem is held for review (`post_to_event`); one made
through the ordinary API with an event's hashtag is refused (`refuse_against_consent`,
which `post_status` asks while preparing every post: a post without a hashtag costs nothing,
one with a hashtag no live event has costs one query).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain import text as text_rules
from zwitscher.domain.errors import ValidationFailed
from zwitscher.policies.events import NAMED, PICTURES, PUBLIC, QUOTED, consents
from zwitscher.views.events import event_path

# A quotation: some text between a pair of quotation marks of one of the usual styles.
_QUOTATION = re.compile(r'"[^"\n]+"|„[^“”"\n]+[“”"]|“[^”\n]+”|«[^»\n]+»|»[^«\n]+«')

# Why a post from the event is held, as its author and the organisers read it.
_HELD_BECAUSE = {
    NAMED: "%(name)s does not agree to be named in the event's posts",
    QUOTED: "%(name)s does not agree to be quoted in the event's posts",
    PICTURES: "%(name)s does not agree to be shown in pictures in the event's posts",
}


@dataclass(frozen=True, slots=True)
class ConsentProblem:
    participant_id: int
    account_id: int
    username: str
    consent: str  # named | quoted | pictures

    def data(self) -> dict:
        return {"participant_id": self.participant_id, "account_id": self.account_id,
                "username": self.username, "consent": self.consent}

    @classmethod
    def of(cls, data: dict) -> ConsentProblem:
        return cls(int(data["participant_id"]), int(data["account_id"]), data["username"],
                   data["consent"])


def held_because(reason: dict) -> tuple[str, dict]:
    """A held post's reason (as stored: `ConsentProblem.data`) as a message of the catalogs
    and its values."""
    return _HELD_BECAUSE[reason["consent"]], {"name": f"@{reason['username']}"}


def quotes(text: str) -> bool:
    return _QUOTATION.search(text) is not None


async def mentioned_ids(uow: UnitOfWork, text: str) -> list[int]:
    """The accounts the text @mentions (as `compose_text` will link them)."""
    known = await uow.accounts.by_usernames(text_rules.mentioned_usernames(text))
    return [account.id for account in known.values()]


async def consent_problems(uow: UnitOfWork, *, event: sa.Row, author_id: int, text: str,
                           mentioned: Sequence[int], with_media: bool) -> list[ConsentProblem]:
    others = [account_id for account_id in mentioned if account_id != author_id]
    rows = await uow.event_participants.among_accounts(event.id, others)
    public, quoting = event.audience == PUBLIC, quotes(text)
    problems = []
    for row in sorted(rows, key=lambda row: row.username.lower()):
        refused = [name for name, asked in ((NAMED, True), (QUOTED, quoting),
                                            (PICTURES, with_media))
                   if asked and not consents(getattr(row, f"consent_{name}"), public=public)]
        problems += [ConsentProblem(row.id, row.account_id, row.username, name)
                     for name in refused]
    return problems


def refusal(problem: ConsentProblem, event: sa.Row, origin: str) -> ValidationFailed:
    """The problem as the error a post is refused with (the web page translates it)."""
    values = {"name": f"@{problem.username}", "event": event.title,
              "url": origin + event_path(event.id)}
    if problem.consent == NAMED:
        return ValidationFailed(
            "%(name)s, a participant of the event %(event)s, does not agree to be named in "
            "its posts: leave out the mention, or ask them (%(url)s)", **values)
    if problem.consent == QUOTED:
        return ValidationFailed(
            "%(name)s, a participant of the event %(event)s, does not agree to be quoted in "
            "its posts: leave out the quotation or the mention, or ask them (%(url)s)",
            **values)
    return ValidationFailed(
        "%(name)s, a participant of the event %(event)s, does not agree to be shown in "
        "pictures in its posts: leave out the pictures or the mention, or ask them "
        "(%(url)s)", **values)


async def refuse_against_consent(uow: UnitOfWork, *, author_id: int, text: str,
                                 with_media: bool) -> None:
    """Refuse (422) a post with a live event's hashtag that breaks the event's consent rules:
    nothing is stored, and the error names the participant and the event's page."""
    tags = text_rules.hashtags(text)
    if not tags:
        return
    events = await uow.live_events.live_with_tags(tags)
    if not events:
        return
    mentioned = await mentioned_ids(uow, text)
    if not mentioned:
        return
    for event in events:
        problems = await consent_problems(uow, event=event, author_id=author_id, text=text,
                                          mentioned=mentioned, with_media=with_media)
        if problems:
            raise refusal(problems[0], event, uow.settings.base_url.rstrip("/"))
