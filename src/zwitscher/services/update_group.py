"""Rename, describe or move a group. Managers may rename and describe; moving a group in the
tree changes who its posts reach, so only admins move groups."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.policies.groups import require_group_manager
from zwitscher.services.create_group import check_group_fields
from zwitscher.services.record_audit import record_audit

_UNSET = object()


async def update_group(uow: UnitOfWork, *, actor: Actor, group_id: int,
                       name: str | None = None, description: str | None = None,
                       parent_id: int | None | object = _UNSET,
                       external_id: str | None | object = _UNSET) -> sa.Row:
    group = await uow.groups.get(group_id)
    if group is None:
        raise NotFound()
    await require_group_manager(uow, actor, group_id)
    check_group_fields(name=name, description=description)
    changes: dict = {}
    if name is not None and name.strip() != group.name:
        changes["name"] = name.strip()
    if description is not None and description != group.description:
        changes["description"] = description
    if external_id is not _UNSET and external_id != group.external_id:
        if not actor.administers:
            raise Forbidden("Only admins may change a group's directory id")
        if external_id and await uow.groups.by_external_id(external_id) is not None:
            raise ValidationFailed("External id has already been taken")
        changes["external_id"] = external_id
    if parent_id is not _UNSET and parent_id != group.parent_id:
        if not actor.administers:
            raise Forbidden("Only admins may move groups")
        if parent_id is not None:
            if await uow.groups.get(parent_id) is None:
                raise NotFound("The parent group does not exist")
            if parent_id in await uow.groups.descendant_ids(group_id):
                raise ValidationFailed("A group cannot be moved below itself")
        changes["parent_id"] = parent_id
    if changes:
        await uow.groups.update(group_id, **changes)
        if "parent_id" in changes:
            await uow.groups.rebuild_tree()
        await record_audit(uow, actor=actor, action="group.updated", target_type="group",
                           target_id=group_id, changes=changes)
    return await uow.groups.get(group_id)
