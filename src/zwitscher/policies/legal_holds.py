"""Legal holds: who may do what with a case, and which accounts and statuses a hold keeps.

A case moves
    pending ──approve──► approved ──close, or its end──► closed
       ├──reject──► rejected
       └──close───► closed (withdrawn before anyone decided)
and is in force while approved and before its end. Only owners and admins take part, never
moderators or a group's moderators; an admin's part ends where an owner is concerned (as with
roles). Four eyes: whoever opened a case does not decide it, and nobody takes part in a case
about themselves. While a case is in force, the admin who opened it and the one who approved it
(and nobody else) may read the person's direct messages of its time range.

`held_accounts` and `held_status` are what deletion asks (the person's own account deletion and
the retention policies): whatever they find must stay.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.schema import legal_holds, mentions, statuses
from zwitscher.domain.clock import utcnow
from zwitscher.domain.roles import Actor, Role
from zwitscher.domain.visibility import Visibility

PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"
CLOSED = "closed"


def in_force(hold: sa.Row, now: datetime) -> bool:
    return hold.state == APPROVED and hold.ends_at > now


def may_take_part(actor: Actor, hold_account_id: int | None, person_role: str | None) -> bool:
    """Opening, deciding and closing a case about this person."""
    return (actor.administers and actor.account_id is not None
            and actor.account_id != hold_account_id
            and (person_role != Role.OWNER or actor.role == Role.OWNER))


def may_decide(actor: Actor, hold: sa.Row, person_role: str | None) -> bool:
    """The second pair of eyes: anyone who may take part, except whoever opened the case."""
    return (hold.state == PENDING and actor.account_id != hold.opened_by_id
            and may_take_part(actor, hold.account_id, person_role))


def may_read_messages(actor: Actor, hold: sa.Row, now: datetime) -> bool:
    return (actor.administers and actor.account_id is not None and in_force(hold, now)
            and actor.account_id in (hold.opened_by_id, hold.decided_by_id))


_holds = legal_holds.alias("held")
_mentions = mentions.alias("held_mentions")


def _in_force_at(now: datetime | None) -> sa.ColumnElement[bool]:
    # The moment is bound, not the database's clock: timestamps are stored as naive UTC, and
    # PostgreSQL would read its own clock in the session's time zone.
    return sa.and_(_holds.c.state == APPROVED, _holds.c.ends_at > (now or utcnow()))


def held_accounts(now: datetime | None = None) -> sa.Select:
    """The ids of the accounts under a hold in force (`now`: this moment): none of them may
    be deleted (their own request, a grace period ending, a directory's deletion) until it
    ends."""
    return sa.select(_holds.c.account_id).where(_in_force_at(now),
                                                _holds.c.account_id.is_not(None))


def held_status(table: sa.Table = statuses, now: datetime | None = None
                ) -> sa.ColumnElement[bool]:
    """True for `statuses` rows a hold in force keeps: written by the person under hold, or a
    direct message to them, within the hold's time range. Retention skips these:
    `.where(~held_status())`."""
    to_them = sa.and_(table.c.visibility == Visibility.DIRECT.value, sa.exists().where(
        _mentions.c.status_id == table.c.id, _mentions.c.account_id == _holds.c.account_id))
    return sa.exists().where(
        _in_force_at(now),
        table.c.created_at >= _holds.c.messages_from,
        table.c.created_at < _holds.c.messages_until,
        sa.or_(table.c.account_id == _holds.c.account_id, to_them))
