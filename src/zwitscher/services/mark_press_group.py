"""Make a group a press group, or no longer one, and give it the name and description the
public reads (`policies/press.py`). Admins and owners only: it opens the group to journalists
from outside, and names it on the public accreditation page. Journalists already in it stay
members until someone removes them.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.services.record_audit import record_audit

MAX_PRESS_NAME = 200
MAX_PRESS_DESCRIPTION = 2000


@dataclass(frozen=True, slots=True)
class PressSettings:
    """None leaves a setting as it is."""

    press: bool | None = None
    name: str | None = None
    description: str | None = None


async def mark_press_group(uow: UnitOfWork, *, actor: Actor, group_id: int,
                           settings: PressSettings) -> sa.Row:
    if not actor.administers:
        raise Forbidden("Only admins decide which groups are press groups")
    group = await uow.groups.get(group_id)
    if group is None:
        raise NotFound()
    wanted = {"press": group.press if settings.press is None else settings.press,
              "press_name": group.press_name if settings.name is None
              else " ".join(settings.name.split()),
              "press_description": group.press_description if settings.description is None
              else settings.description.strip()}
    if len(wanted["press_name"]) > MAX_PRESS_NAME:
        raise ValidationFailed("The public name must be at most 200 characters")
    if len(wanted["press_description"]) > MAX_PRESS_DESCRIPTION:
        raise ValidationFailed("The public description must be at most 2000 characters")
    if wanted["press"] and not wanted["press_name"]:
        raise ValidationFailed("A press group needs the name the public reads")
    changes = {name: value for name, value in wanted.items() if getattr(group, name) != value}
    if changes:
        await uow.groups.update(group.id, **changes)
        await record_audit(uow, actor=actor, action="group.press_changed", target_type="group",
                           target_id=group.id, changes=changes)
    return await uow.groups.get(group.id)
