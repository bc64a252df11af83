"""Mastodon's id-based pagination as one query transformation.

`max_id` and `since_id` page backwards from the newest; `min_id` pages forwards from an id
(the query runs ascending and the rows are turned round), which is how clients fill gaps.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sqlalchemy as sa


@dataclass(frozen=True, slots=True)
class Page:
    max_id: int | None = None
    since_id: int | None = None
    min_id: int | None = None
    limit: int = 20
    offset: int = 0

    def covering(self) -> Page:
        """The page each part of a merged query must return for the merge to fill this one."""
        return replace(self, offset=0, limit=self.limit + self.offset)


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


_BOUNDS = ("max_id", "since_id", "min_id")


def page_shape(page: Page) -> Page:
    """What a statement built once for many pages depends on: which bounds are given (not
    their values), the limit and the offset. Hashable, for caching such statements."""
    return replace(page, **{b: 0 for b in _BOUNDS if getattr(page, b) is not None})


def with_placeholders(shape: Page) -> Page:
    """The shape with its bounds as bind parameters; run the statement with `page_params`."""
    return replace(shape, **{b: sa.bindparam(f"page_{b}", type_=sa.BigInteger)
                             for b in _BOUNDS if getattr(shape, b) is not None})


def page_params(page: Page) -> dict[str, int]:
    return {f"page_{b}": getattr(page, b) for b in _BOUNDS if getattr(page, b) is not None}


def newest_first(rows: list, page: Page) -> list:
    return list(reversed(rows)) if page.min_id is not None else rows
