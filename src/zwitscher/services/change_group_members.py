"""Add people to a group or take them out, one by one or in bulk. Admins and the group's
managers may; only they make someone a manager or a moderator (who handles the reports about
the group's members). Each membership has one role: adding someone already in the group with
another role than "member" changes their role to it. Removed members lose access to the
group's posts at once (visibility is checked when read)."""

from __future__ import annotations

from dataclasses import dataclass

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.policies.group_moderation import GROUP_MODERATOR
from zwitscher.policies.groups import require_group_manager
from zwitscher.services.record_audit import record_audit

GROUP_ROLES = ("member", "manager", GROUP_MODERATOR)
MAX_BATCH = 5000


@dataclass(frozen=True, slots=True)
class MembershipChange:
    added: list[int]
    removed: list[int]


async def add_group_members(uow: UnitOfWork, *, actor: Actor, group_id: int,
                            account_ids: list[int], role: str = "member") -> MembershipChange:
    await _check(uow, actor, group_id, account_ids)
    if role not in GROUP_ROLES:
        raise ValidationFailed("Role must be member, manager or moderator")
    known = await uow.accounts.get_many(set(account_ids))
    missing = [a for a in account_ids if a not in known]
    if missing:
        raise NotFound("No such account: %(missing)s", missing=missing[0])
    already = set(await uow.groups.direct_member_ids(group_id))
    added = [a for a in dict.fromkeys(account_ids) if a not in already]
    await uow.groups.add_members(group_id, added, role=role)
    promoted = []
    if role != "member":
        for account_id in already & set(account_ids):
            membership = await uow.groups.membership(group_id, account_id)
            if membership.role != role:
                await uow.groups.set_member_role(group_id, account_id, role)
                promoted.append(account_id)
    if added or promoted:
        await record_audit(uow, actor=actor, action="group.members_added",
                           target_type="group", target_id=group_id, role=role,
                           account_ids=[str(a) for a in added + promoted])
    return MembershipChange(added=added, removed=[])


async def remove_group_members(uow: UnitOfWork, *, actor: Actor, group_id: int,
                               account_ids: list[int]) -> MembershipChange:
    await _check(uow, actor, group_id, account_ids)
    present = set(await uow.groups.direct_member_ids(group_id))
    removed = [a for a in dict.fromkeys(account_ids) if a in present]
    await uow.groups.remove_members(group_id, removed)
    if removed:
        await record_audit(uow, actor=actor, action="group.members_removed",
                           target_type="group", target_id=group_id,
                           account_ids=[str(a) for a in removed])
    return MembershipChange(added=[], removed=removed)


async def _check(uow: UnitOfWork, actor: Actor, group_id: int, account_ids: list[int]) -> None:
    if await uow.groups.get(group_id) is None:
        raise NotFound()
    await require_group_manager(uow, actor, group_id)
    if not account_ids:
        raise ValidationFailed("Name at least one account")
    if len(account_ids) > MAX_BATCH:
        raise ValidationFailed("At most %(max_batch)s accounts at once", max_batch=MAX_BATCH)
