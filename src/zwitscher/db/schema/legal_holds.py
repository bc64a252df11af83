"""Legal holds: a case that keeps one person's data from deletion and, once a second admin
approved it, lets the two admins of the case read the person's direct messages of a time range
(`services/open_legal_hold.py` and its neighbours; the access log is the audit log)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import UTCDateTime, created, id_column, metadata


def _account_ref(name: str, *, index: bool = False) -> sa.Column:
    """An account of the case: the case stays (it is evidence) when the account goes."""
    return sa.Column(name, sa.BigInteger, sa.ForeignKey("accounts.id", ondelete="SET NULL"),
                     nullable=True, index=index)


legal_holds = sa.Table(
    "legal_holds", metadata,
    id_column(),
    # The person under hold.
    _account_ref("account_id", index=True),
    sa.Column("reason", sa.Text, nullable=False),
    # What the hold rests on: a court order's file number, a works-council decision, ...
    sa.Column("reference", sa.String(200), nullable=False),
    # The direct messages concerned: written or received from `messages_from` until just
    # before `messages_until` (never after the hold was opened: a hold looks back).
    sa.Column("messages_from", UTCDateTime, nullable=False),
    sa.Column("messages_until", UTCDateTime, nullable=False),
    sa.Column("ends_at", UTCDateTime, nullable=False),
    # pending -> approved -> closed (by an admin, or when it ends) | pending -> rejected |
    # pending -> closed (withdrawn before anyone decided)
    sa.Column("state", sa.String(16), nullable=False, server_default="pending"),
    # Why the person is not told yet; empty: they are told as soon as the hold is approved.
    sa.Column("notice_deferred_because", sa.Text, nullable=False, server_default=""),
    sa.Column("person_told_at", UTCDateTime, nullable=True),
    _account_ref("opened_by_id"),
    created(),
    _account_ref("decided_by_id"),
    sa.Column("decided_at", UTCDateTime, nullable=True),
    sa.Column("decision_note", sa.Text, nullable=False, server_default=""),
    _account_ref("closed_by_id"),
    sa.Column("closed_at", UTCDateTime, nullable=True),
)
