"""The List entity."""

from __future__ import annotations

import sqlalchemy as sa


def present_list(row: sa.Row) -> dict:
    return {"id": str(row.id), "title": row.title, "replies_policy": row.replies_policy,
            "exclusive": row.exclusive}
