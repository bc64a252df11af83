"""Who reads a press release, as one SQL predicate over `press_releases`.

- The brand's authors (and the brand account itself) read its releases at every stage: they
  write them.
- Before `publish_at` (the embargo) nobody else reads a release, except the members of its
  press groups (and of the groups below them) from `preview_at` on. There is no status yet,
  so nothing of it can reach a timeline, search, stream, push or feed.
- Once published, a release is read where its status is: `policies.visibility.visible_to`
  decides (public, or the press groups it was addressed to); a deleted status takes the
  release with it.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.schema import (
    brand_authors,
    group_members,
    group_tree,
    press_release_groups,
    press_releases,
    statuses,
)
from zwitscher.policies.visibility import visible_to

_groups = press_release_groups.alias("release_readers_groups")
_tree = group_tree.alias("release_readers_tree")
_members = group_members.alias("release_readers_members")
_authors = brand_authors.alias("release_readers_authors")
_statuses = statuses.alias("release_statuses")


def in_press_groups(viewer_id: int, table: sa.Table = press_releases) -> sa.ColumnElement[bool]:
    """The viewer is a member of a group the release is addressed to, or of one below it."""
    return sa.exists().where(
        _groups.c.release_id == table.c.id,
        _tree.c.ancestor_id == _groups.c.group_id,
        _members.c.group_id == _tree.c.descendant_id,
        _members.c.account_id == viewer_id)


def writes_for_brand(viewer_id: int, table: sa.Table = press_releases) -> sa.ColumnElement[bool]:
    return sa.or_(table.c.brand_id == viewer_id, sa.exists().where(
        _authors.c.brand_id == table.c.brand_id, _authors.c.author_id == viewer_id))


def published_to(viewer_id: int | None,
                 table: sa.Table = press_releases) -> sa.ColumnElement[bool]:
    """Published, and its status is one the viewer may see."""
    return sa.exists().where(_statuses.c.id == table.c.status_id,
                             visible_to(viewer_id, _statuses))


def readable_by(viewer_id: int | None, now: datetime,
                table: sa.Table = press_releases) -> sa.ColumnElement[bool]:
    if viewer_id is None:
        return published_to(None, table)
    under_embargo = sa.and_(table.c.published_at.is_(None), table.c.preview_at <= now,
                            in_press_groups(viewer_id, table))
    return sa.or_(published_to(viewer_id, table), under_embargo,
                  writes_for_brand(viewer_id, table))
