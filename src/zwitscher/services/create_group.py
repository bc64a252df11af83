"""Create a group. Admins create any; a group's managers create groups below it."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.policies.groups import may_manage_group
from zwitscher.services.record_audit import record_audit

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True, slots=True)
class GroupDraft:
    slug: str
    name: str
    description: str = ""
    parent_id: int | None = None
    external_id: str | None = None


def check_group_fields(*, slug: str | None = None, name: str | None = None,
                       description: str | None = None) -> None:
    errors = []
    if slug is not None and not SLUG_RE.match(slug):
        errors.append("Slug must be 1 to 64 lowercase letters, digits, - or _")
    if name is not None and not 1 <= len(name.strip()) <= 200:
        errors.append("Name must be between 1 and 200 characters")
    if description is not None and len(description) > 5000:
        errors.append("Description must be at most 5000 characters")
    if errors:
        raise ValidationFailed(", ".join(errors))


async def create_group(uow: UnitOfWork, *, actor: Actor, draft: GroupDraft) -> sa.Row:
    slug = draft.slug.strip().lower()
    check_group_fields(slug=slug, name=draft.name, description=draft.description)
    if draft.parent_id is not None:
        if await uow.groups.get(draft.parent_id) is None:
            raise NotFound("The parent group does not exist")
        if not await may_manage_group(uow, actor, draft.parent_id):
            raise Forbidden("Only admins and the parent group's managers may do this")
    elif not actor.administers:
        raise Forbidden("Only admins may create top-level groups")
    if await uow.groups.by_slug(slug) is not None:
        raise ValidationFailed("Slug has already been taken")
    if draft.external_id and await uow.groups.by_external_id(draft.external_id) is not None:
        raise ValidationFailed("External id has already been taken")
    group_id = await uow.groups.create(slug=slug, name=draft.name.strip(),
                                       description=draft.description,
                                       parent_id=draft.parent_id, external_id=draft.external_id)
    await uow.groups.rebuild_tree()
    await record_audit(uow, actor=actor, action="group.created", target_type="group",
                       target_id=group_id, slug=slug, parent_id=draft.parent_id)
    return await uow.groups.get(group_id)
