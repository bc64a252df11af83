"""The dark site: in a crisis, a plain public status page takes the place of the public start
page, with the crisis's public updates, newest first, and the time of the last one. One crisis
at a time shows there; switching it on for one switches it off for any other. It is switched
off by hand or when its crisis is closed."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.policies.crises import require_crisis_desk
from zwitscher.services.record_audit import record_audit


async def switch_dark_site(uow: UnitOfWork, *, actor: Actor, crisis_id: int, on: bool) -> None:
    require_crisis_desk(actor.role)
    crisis = await uow.crises.get(crisis_id)
    if crisis is None:
        raise NotFound("Record not found")
    if on and crisis.closed_at is not None:
        raise ValidationFailed("This crisis is closed")
    if on:
        await uow.crises.end_dark_sites()
    await uow.crises.update(crisis_id, dark_site=on)
    await record_audit(uow, actor=actor, action="crisis.dark_site", target_type="crisis",
                       target_id=crisis_id, on=on)
