"""Groups as our API shows them (Mastodon has no such entity: these are Zwitscher's own)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.api.entities import GroupRef
from zwitscher.api.presenters.common import iso


class Group(GroupRef):
    description: str
    parent_id: str | None
    external_id: str | None
    members_count: int | None
    my_role: str | None  # the reader's role in the group, if a member
    created_at: str
    updated_at: str
    press: bool  # a press group (`policies.press`)
    press_name: str  # its public name and description
    press_description: str


def present_group_ref(group: sa.Row) -> GroupRef:
    return {"id": str(group.id), "slug": group.slug, "name": group.name}


def present_group(group: sa.Row, *, members_count: int | None = None,
                  my_role: str | None = None) -> Group:
    return {
        **present_group_ref(group),
        "description": group.description,
        "parent_id": str(group.parent_id) if group.parent_id else None,
        "external_id": group.external_id,
        "members_count": members_count,
        "my_role": my_role,
        "created_at": iso(group.created_at),
        "updated_at": iso(group.updated_at),
        "press": group.press,
        "press_name": group.press_name,
        "press_description": group.press_description,
    }

