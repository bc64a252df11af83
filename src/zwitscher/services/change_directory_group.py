"""A company directory changes a group (SCIM `PUT` or `PATCH /Groups/{id}`): its name, its
external id, and its members, added and removed one by one or replaced as a whole.

A person the directory deleted keeps their memberships (hidden from SCIM) unless the directory
removes them or replaces the whole list, which says who the members are."""

from __future__ import annotations

from collections.abc import Sequence

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.services.change_group_members import add_group_members, remove_group_members
from zwitscher.services.update_group import update_group


async def require_people(uow: UnitOfWork, account_ids: Sequence[int]) -> None:
    """Members a directory adds must exist for it: a person it deleted is no such user
    (RFC 7644 section 3.6; a member value that does not exist is `invalidValue`)."""
    known = await uow.directory.present_ids(sorted(set(account_ids)))
    missing = [a for a in account_ids if a not in known]
    if missing:
        raise ValidationFailed("No such user: %(missing)s", missing=missing[0])


async def change_directory_group(uow: UnitOfWork, *, actor: Actor, group_id: int,
                                 display_name: str | None = None,
                                 external_id: str | None = None,
                                 add: Sequence[int] = (), remove: Sequence[int] = (),
                                 members: Sequence[int] | None = None) -> None:
    """`members` replaces the whole membership (after which `add` and `remove` apply); an empty
    `external_id` removes it, None leaves it."""
    if await uow.groups.get(group_id) is None:
        raise NotFound()
    await require_people(uow, [*add, *(members or ())])
    current = set(await uow.groups.direct_member_ids(group_id))
    wanted = set(members) if members is not None else set(current)
    wanted = (wanted | set(add)) - set(remove)
    fields = {}
    if display_name is not None:
        fields["name"] = display_name
    if external_id is not None:
        fields["external_id"] = external_id or None
    if fields:
        await update_group(uow, actor=actor, group_id=group_id, **fields)
    if wanted - current:
        await add_group_members(uow, actor=actor, group_id=group_id,
                                account_ids=sorted(wanted - current))
    if current - wanted:
        await remove_group_members(uow, actor=actor, group_id=group_id,
                                   account_ids=sorted(current - wanted))
