"""Groups as our API shows them (Mastodon has no such entity: these are Zwitscher's own)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.api.presenters.common import iso


def present_group_ref(group: sa.Row) -> dict:
    return {"id": str(group.id), "slug": group.slug, "name": group.name}


def present_group(group: sa.Row, *, members_count: int | None = None,
                  my_role: str | None = None) -> dict:
    return {
        **present_group_ref(group),
        "description": group.description,
        "parent_id": str(group.parent_id) if group.parent_id else None,
        "external_id": group.external_id,
        "members_count": members_count,
        "my_role": my_role,
        "created_at": iso(group.created_at),
        "updated_at": iso(group.updated_at),
    }

