"""A participant says whether posts from the event may name them, quote them and show them in
pictures: `yes`, `no` or `unknown` each (`policies/events.py` says how the rules read
`unknown`). Set by the participant themselves (the event's page, the API, or the page of
their invitation without signing in); the organisers read it. Answers not given stay as they
were. It may change at any time, also after the event: a post held for it may be published
once it allows.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import ValidationFailed
from zwitscher.policies.events import CONSENT_VALUES, CONSENTS
from zwitscher.services.answer_event import InvitationNotFound, join_event
from zwitscher.services.event_links import participant_of
from zwitscher.services.see_event import Person, take_part


def _changes(consent: dict[str, str | None]) -> dict[str, str]:
    changes = {}
    for name, value in consent.items():
        if value is None or value == "":
            continue
        if name not in CONSENTS:
            raise ValidationFailed("Consent is given for named, quoted and pictures")
        if value not in CONSENT_VALUES:
            raise ValidationFailed("A consent is yes, no or unknown")
        changes[f"consent_{name}"] = value
    if not changes:
        raise ValidationFailed("Say yes, no or unknown for named, quoted or pictures")
    return changes


async def give_event_consent(uow: UnitOfWork, *, person: Person, event_id: int,
                             consent: dict[str, str | None]) -> sa.Row:
    changes = _changes(consent)
    seen = await take_part(uow, person=person, event_id=event_id)
    participant = await join_event(uow, seen, person)
    await uow.event_participants.update(participant.id, consent_at=utcnow(), **changes)
    return await uow.event_participants.get(participant.id)


async def give_consent_by_invitation(uow: UnitOfWork, *, token: str,
                                     consent: dict[str, str | None]) -> sa.Row:
    participant = await participant_of(uow, token)
    if participant is None:
        raise InvitationNotFound()
    changes = _changes(consent)
    await uow.event_participants.update(participant.id, consent_at=utcnow(), **changes)
    return await uow.event_participants.get(participant.id)
