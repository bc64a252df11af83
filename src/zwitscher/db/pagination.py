"""Mastodon's id-based pagination as one query transformation.

`max_id` and `since_id` page backwards from the newest; `min_id` pages forwards from an id
(the query runs ascending and the rows are turned round), which is how clients fill gaps.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa


@dataclass(frozen=True, slots=True)
class Page:
    max_id: int | None = None
    since_id: int | None = None
    min_id: int | None = None
    limit: int = 20
    offset: int = 0


def apply_page(query: sa.Select, column: sa.ColumnElement, page: Page) -> sa.Select:
    if page.max_id is not None:
        query = query.where(column < page.max_id)
    if page.since_id is not None:
        query = query.where(column > page.since_id)
    if page.min_id is not None:
        query = query.where(column > page.min_id).order_by(column.asc())
    else:
        query = query.order_by(column.desc())
    if page.offset:
        query = query.offset(page.offset)
    return query.limit(page.limit)


def newest_first(rows: list, page: Page) -> list:
    return list(reversed(rows)) if page.min_id is not None else rows
