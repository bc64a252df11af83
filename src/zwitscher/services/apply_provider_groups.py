"""What the organisation's identity provider or directory says about a person's groups decides
their managed groups and role, at every sign-in through it (docs/identity.md).

Groups: each group name the provider gives (an OpenID Connect groups claim,
`ZWITSCHER_OIDC_GROUPS_CLAIM`; an LDAP group's DN and cn) names a managed group by its external
id, else by its slug; for paths such as Keycloak's `/press/national`, the last part is tried
too. When the provider gives groups, the person is added to the groups they name and taken out
of the other groups that have an external id (the groups a directory manages); groups made by
hand are left alone. When it gives none (`None`: many OpenID providers send groups only when
told to), nothing changes.

Role: with a role mapping (`ZWITSCHER_OIDC_ROLES`, `ZWITSCHER_LDAP_ROLES`:
`{"admin": "zw-admins", "moderator": "zw-moderators"}`) the person gets the highest role whose
group they are in, and member when in none. Owners are never changed by a provider: an
organisation must not lose its owner to a typo at the provider. Without a mapping, roles are
given here.
"""

from __future__ import annotations

from collections.abc import Sequence

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.roles import Actor, Role
from zwitscher.services.change_group_members import add_group_members, remove_group_members
from zwitscher.services.change_role import change_role

# Highest first: someone in the admins' and the guests' group is an admin.
RANKED_ROLES = (Role.ADMIN, Role.MODERATOR, Role.COMMUNICATOR, Role.MEMBER, Role.GUEST)


async def apply_provider_groups(uow: UnitOfWork, *, actor: Actor, user,
                                groups: Sequence[str] | None, roles: dict[str, str]) -> None:
    if groups is not None:
        await _match_groups(uow, actor=actor, account_id=user.account_id, names=groups)
    if roles and user.role != Role.OWNER:
        names = set(groups or ())
        role = next((role for role in RANKED_ROLES if roles.get(role.value) in names),
                    Role.MEMBER)
        if role != user.role:
            await change_role(uow, actor=actor, account_id=user.account_id, role=role.value)


async def _match_groups(uow: UnitOfWork, *, actor: Actor, account_id: int,
                        names: Sequence[str]) -> None:
    wanted: set[int] = set()
    for name in names[:1000]:
        group = await _group_named(uow, name)
        if group is not None:
            wanted.add(group.id)
    current = await uow.groups.groups_of(account_id)
    held = {group.id for group in current}
    leaving = [group.id for group in current
               if group.external_id is not None and group.id not in wanted]
    for group_id in sorted(wanted - held):
        await add_group_members(uow, actor=actor, group_id=group_id,
                                account_ids=[account_id])
    for group_id in leaving:
        await remove_group_members(uow, actor=actor, group_id=group_id,
                                   account_ids=[account_id])


async def _group_named(uow: UnitOfWork, name: str):
    for candidate in dict.fromkeys((name, name.strip("/"), name.rstrip("/").rsplit("/", 1)[-1])):
        if not candidate or len(candidate) > 200:
            continue
        group = (await uow.groups.by_external_id(candidate)
                 or await uow.groups.by_slug(candidate[:64]))
        if group is not None:
            return group
    return None
