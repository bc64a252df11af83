"""Press groups and the press desk: who is a journalist's way in, and who lets them in.

- A **press group** is a managed group an admin marked `press`: journalists are its guests
  (role `guest`: public posts and their groups' posts, never `internal` ones). Its press name
  and description are public (the accreditation page lists them to anyone); its own name and
  members stay the organisation's business.
- The **press desk** is the communicators, admins and owners: they invite journalists into
  press groups and decide accreditation requests. Marking a group as a press group is the
  admins' (it opens the group to outsiders).

An accreditation moves
    unconfirmed ──the address follows its link──► pending ──approve──► approved
                                                     └──reject───► rejected
and an invitation is approved from the start.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema import groups
from zwitscher.domain.roles import SPEAKERS, Actor

UNCONFIRMED = "unconfirmed"
PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"
# Not a state: what the press desk asks for to see either decision.
DECIDED = "decided"

FROM_REQUEST = "request"
FROM_INVITATION = "invitation"


def is_press_group(group: sa.Row | None) -> bool:
    """Whether a `groups` row is a press group."""
    return group is not None and bool(group.press)


def press_group_condition(table: sa.Table = groups) -> sa.ColumnElement[bool]:
    """The same as a SQL condition over `groups` (or an alias of it)."""
    return table.c.press.is_(True)


def public_name(group: sa.Row) -> str:
    """What the public calls a press group."""
    return group.press_name or group.name


def works_press_desk(actor: Actor) -> bool:
    """Inviting journalists and deciding accreditation requests."""
    return actor.account_id is not None and actor.role in SPEAKERS
