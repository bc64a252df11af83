"""A company directory creates a group (SCIM `POST /Groups`). Directories name groups, they
do not give them slugs, so the slug is made from the name (numbered if taken)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Conflict
from zwitscher.domain.roles import Actor
from zwitscher.services.change_directory_group import require_people
from zwitscher.services.change_group_members import add_group_members
from zwitscher.services.create_group import GroupDraft, check_group_fields, create_group

_NOT_SLUG = re.compile(r"[^a-z0-9_]+")


async def provision_group(uow: UnitOfWork, *, actor: Actor, display_name: str,
                          external_id: str | None, member_ids: list[int]) -> sa.Row:
    check_group_fields(name=display_name)
    if external_id and await uow.groups.by_external_id(external_id) is not None:
        raise Conflict("externalId is already taken")
    await require_people(uow, member_ids)
    slug = await _free_slug(uow, display_name)
    group = await create_group(uow, actor=actor, draft=GroupDraft(
        slug=slug, name=display_name, external_id=external_id))
    if member_ids:
        await add_group_members(uow, actor=actor, group_id=group.id, account_ids=member_ids)
    return group


async def _free_slug(uow: UnitOfWork, name: str) -> str:
    base = _NOT_SLUG.sub("-", name.lower()).strip("-_")[:56] or "group"
    candidates = [base] + [f"{base}-{n}" for n in range(2, 200)]
    taken = await uow.groups.by_slugs(candidates)
    return next((c for c in candidates if c not in taken), f"{base[:40]}-{len(taken)}")
