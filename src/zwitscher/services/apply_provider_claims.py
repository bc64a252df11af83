"""What the identity provider says about a person decides their managed groups and role, at
every single sign-on (docs/identity.md).

Groups: each value of the groups claim (`ZWITSCHER_OIDC_GROUPS_CLAIM`, default `groups`) names
a managed group by its external id, else by its slug; for paths such as Keycloak's
`/press/national`, the last part is tried too. When the claim is present, the person is added
to the groups it names and taken out of the other groups that have an external id (the groups
a directory manages); groups made by hand are left alone. Without the claim nothing changes:
many providers send groups only when told to.

Role: with `ZWITSCHER_OIDC_ROLES` (`{"admin": "zw-admins", "moderator": "zw-moderators"}`) the
person gets the highest role whose provider group they are in, and member when in none.
Owners are never changed by a provider: an organisation must not lose its owner to a typo at
the provider. Without the setting, roles are given here.
"""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.roles import SINGLE_SIGN_ON, Role
from zwitscher.oidc import Identity
from zwitscher.services.change_group_members import add_group_members, remove_group_members
from zwitscher.services.change_role import change_role

# Highest first: someone in the admins' and the guests' group is an admin.
RANKED_ROLES = (Role.ADMIN, Role.MODERATOR, Role.COMMUNICATOR, Role.MEMBER, Role.GUEST)


async def apply_provider_claims(uow: UnitOfWork, *, user, identity: Identity) -> None:
    settings = uow.settings
    claim = settings.oidc_groups_claim
    if claim in identity.claims:
        await _match_groups(uow, account_id=user.account_id, names=identity.names(claim))
    if settings.oidc_roles and user.role != Role.OWNER:
        names = set(identity.names(claim))
        role = next((role for role in RANKED_ROLES
                     if settings.oidc_roles.get(role.value) in names), Role.MEMBER)
        if role != user.role:
            await change_role(uow, actor=SINGLE_SIGN_ON, account_id=user.account_id,
                              role=role.value)


async def _match_groups(uow: UnitOfWork, *, account_id: int, names: list[str]) -> None:
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
        await add_group_members(uow, actor=SINGLE_SIGN_ON, group_id=group_id,
                                account_ids=[account_id])
    for group_id in leaving:
        await remove_group_members(uow, actor=SINGLE_SIGN_ON, group_id=group_id,
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
