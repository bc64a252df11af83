"""An event's organisers add co-organisers (people with an account here: they moderate the
event with them) and take them off again. An event keeps at least one organiser."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.services.see_event import Person, organise_event

MAX_ORGANISERS = 20


async def add_event_organiser(uow: UnitOfWork, *, person: Person, event_id: int,
                              account_id: int) -> None:
    event = (await organise_event(uow, person=person, event_id=event_id)).event
    account = await uow.accounts.shown(account_id)
    if account is None or account.kind != "person" \
            or await uow.accounts.user_for_account(account_id) is None:
        raise NotFound("No such person")
    if len(await uow.live_events.organiser_ids(event.id)) >= MAX_ORGANISERS:
        raise ValidationFailed("An event has at most %(count)s organisers",
                               count=MAX_ORGANISERS)
    await uow.live_events.add_organiser(event.id, account_id, now=utcnow())


async def remove_event_organiser(uow: UnitOfWork, *, person: Person, event_id: int,
                                 account_id: int) -> None:
    event = (await organise_event(uow, person=person, event_id=event_id)).event
    organisers = await uow.live_events.organiser_ids(event.id)
    if account_id not in organisers:
        raise NotFound("No such organiser")
    if len(organisers) == 1:
        raise ValidationFailed("An event keeps at least one organiser")
    await uow.live_events.remove_organiser(event.id, account_id)


async def add_event_organiser_named(uow: UnitOfWork, *, person: Person, event_id: int,
                                    username: str) -> None:
    """As `add_event_organiser`, the person named as people type it (`@` or not)."""
    name = username.strip().lstrip("@")
    account = await uow.accounts.by_username(name) if name else None
    if account is None:
        raise NotFound("Nobody here is called %(name)s", name=f"@{name}"[:100])
    await add_event_organiser(uow, person=person, event_id=event_id, account_id=account.id)
