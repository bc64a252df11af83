"""The List entity."""

from __future__ import annotations

import sqlalchemy as sa
from typing_extensions import TypedDict


class ListEntity(TypedDict):
    id: str
    title: str
    replies_policy: str
    exclusive: bool


def present_list(row: sa.Row) -> ListEntity:
    return {"id": str(row.id), "title": row.title, "replies_policy": row.replies_policy,
            "exclusive": row.exclusive}
