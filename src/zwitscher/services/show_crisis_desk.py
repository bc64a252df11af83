"""The crisis desk's front page: the templates to send from, the open crises with how far
each got, and the recent closed ones (`services/show_crisis.py` has a single crisis's
dashboard)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.roles import Actor
from zwitscher.policies.crises import require_crisis_desk
from zwitscher.services.show_crisis import AudiencePart, crisis_dashboard, recent_crises


@dataclass(frozen=True, slots=True)
class OpenCrisis:
    crisis: sa.Row
    total: AudiencePart


@dataclass(frozen=True, slots=True)
class CrisisDeskView:
    templates: list[sa.Row]
    open: list[OpenCrisis]
    closed: list[sa.Row]


async def show_crisis_desk(uow: UnitOfWork, *, actor: Actor) -> CrisisDeskView:
    require_crisis_desk(actor.role)
    crises = await recent_crises(uow, actor=actor)
    # Open crises are few at any time (one, rarely more): a dashboard each is cheap enough.
    open_ = [OpenCrisis(crisis, (await crisis_dashboard(uow, actor=actor,
                                                        crisis_id=crisis.id)).total)
             for crisis in crises if crisis.closed_at is None]
    return CrisisDeskView(templates=await uow.crisis_templates.every(), open=open_,
                          closed=[crisis for crisis in crises if crisis.closed_at is not None])
