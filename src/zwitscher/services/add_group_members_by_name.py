"""Add people to a group by pasting their usernames or e-mail addresses (the console's "add
many at once"). All or nothing: when any name matches nobody, nobody is added and the
unknown names are named, so the person fixes the list and pastes it again."""

from __future__ import annotations

import re

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.policies.groups import require_group_manager
from zwitscher.services.change_group_members import (
    MAX_BATCH,
    MembershipChange,
    add_group_members,
)

# One name a line, or separated by commas, semicolons or spaces (as addresses are pasted
# from a spreadsheet column, an e-mail's To line or a chat).
_SEPARATORS = re.compile(r"[\s,;]+")


async def add_group_members_by_name(uow: UnitOfWork, *, actor: Actor, group_id: int,
                                    pasted: str, role: str = "member") -> MembershipChange:
    if await uow.groups.get(group_id) is None:
        raise NotFound()
    await require_group_manager(uow, actor, group_id)
    # `@ana` as people write a handle; `<ana@example.org>` as mail programs copy addresses.
    names = list(dict.fromkeys(
        token.strip("<>").removeprefix("@") for token in _SEPARATORS.split(pasted)))
    names = [name for name in names if name]
    if not names:
        raise ValidationFailed("Name at least one account")
    if len(names) > MAX_BATCH:
        raise ValidationFailed("At most %(max_batch)s accounts at once", max_batch=MAX_BATCH)
    found = await uow.directory.people_named(names)
    known = {row.username.lower() for row in found} | {row.email.lower() for row in found}
    unknown = [name for name in names if name.lower() not in known]
    if unknown:
        raise ValidationFailed("Nobody was added: no one here has the username or e-mail "
                               "address %(names)s", names=", ".join(unknown))
    return await add_group_members(uow, actor=actor, group_id=group_id, role=role,
                                   account_ids=[row.account_id for row in found])
