"""Per-group moderators, as one SQL predicate: the reports a group's moderator handles.

A member with the role "moderator" in a group handles reports about the members of that group
and of every group below it (as a manager manages the subtree), but never a report about
themselves nor about the organisation's own moderators and admins. Instance moderators and
admins handle every report (`domain.roles.Actor.moderates`); the repositories compose this
predicate into the reports queue and into who still sees a report's notification.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema import group_members, group_tree, users
from zwitscher.domain.roles import MODERATORS

GROUP_MODERATOR = "moderator"

_moderating = group_members.alias("moderating_membership")
_moderated = group_members.alias("moderated_membership")
_moderated_tree = group_tree.alias("moderated_tree")
_staff = users.alias("moderated_staff")


def moderated_in_groups(moderator_id: int | sa.ColumnElement,
                        target_id: sa.ColumnElement) -> sa.ColumnElement[bool]:
    """`moderator_id` moderates a group that `target_id` belongs to (directly or below)."""
    return sa.and_(
        target_id != moderator_id,
        sa.exists().where(
            _moderating.c.account_id == moderator_id,
            _moderating.c.role == GROUP_MODERATOR,
            _moderated_tree.c.ancestor_id == _moderating.c.group_id,
            _moderated.c.group_id == _moderated_tree.c.descendant_id,
            _moderated.c.account_id == target_id),
        ~sa.exists().where(_staff.c.account_id == target_id,
                           _staff.c.role.in_(sorted(role.value for role in MODERATORS))))
