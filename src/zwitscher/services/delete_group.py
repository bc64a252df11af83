"""Delete a group. Its subgroups move up to its parent; posts addressed only to it stay
visible to their authors alone (nobody is a member of a group that is gone)."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, NotFound
from zwitscher.domain.roles import Actor
from zwitscher.policies.groups import may_manage_group
from zwitscher.services.record_audit import record_audit


async def delete_group(uow: UnitOfWork, *, actor: Actor, group_id: int) -> None:
    group = await uow.groups.get(group_id)
    if group is None:
        raise NotFound()
    allowed = actor.administers or (group.parent_id is not None
                                    and await may_manage_group(uow, actor, group.parent_id))
    if not allowed:
        raise Forbidden("Only admins and the parent group's managers may delete a group")
    await uow.groups.reparent_children(group_id, group.parent_id)
    await uow.groups.delete(group_id)
    await uow.groups.rebuild_tree()
    await record_audit(uow, actor=actor, action="group.deleted", target_type="group",
                       target_id=group_id, slug=group.slug, name=group.name)
