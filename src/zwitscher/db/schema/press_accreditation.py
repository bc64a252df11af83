"""Journalists' accreditation: who asked (or was invited) to be a guest of which press groups,
and what the press desk decided (`services/request_accreditation.py` and its neighbours; the
press groups themselves are `groups` rows marked `press`)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import UTCDateTime, created, id_column, metadata, reference


def _account_ref(name: str) -> sa.Column:
    """An account the record names: the record stays (it is the press desk's history) when the
    account goes."""
    return sa.Column(name, sa.BigInteger, sa.ForeignKey("accounts.id", ondelete="SET NULL"),
                     nullable=True)


press_accreditations = sa.Table(
    "press_accreditations", metadata,
    id_column(),
    # "request": the journalist asked on the public page; "invitation": a communicator
    # invited them (decided at once).
    sa.Column("source", sa.String(16), nullable=False),
    # unconfirmed -> pending (the address followed its link) -> approved | rejected; an
    # invitation is approved from the start.
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("email", sa.String(320), nullable=False),
    sa.Column("email_lower", sa.String(320), nullable=False, index=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("outlet", sa.String(200), nullable=False),
    sa.Column("position", sa.String(100), nullable=False, server_default=""),
    sa.Column("work_url", sa.String(500), nullable=False, server_default=""),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    # The language of the messages to the journalist (the page's, when they asked).
    sa.Column("language", sa.String(8), nullable=False),
    # SHA-256 of the secret in the link that confirms the address; gone once followed.
    sa.Column("token_digest", sa.String(64), nullable=True, unique=True),
    created(),
    sa.Column("confirmed_at", UTCDateTime, nullable=True),
    _account_ref("decided_by_id"),
    sa.Column("decided_at", UTCDateTime, nullable=True),
    # Why it was rejected (e-mailed to the journalist).
    sa.Column("decision_note", sa.Text, nullable=False, server_default=""),
    # The journalist's account, once approved (made then, or theirs already).
    _account_ref("account_id"),
    sa.Index("ix_press_accreditations_state_id", "state", "id"),
)

# The press groups a request names (`requested`) and those the press desk let them into
# (`granted`); an invitation's group is granted only.
press_accreditation_groups = sa.Table(
    "press_accreditation_groups", metadata,
    reference("accreditation_id", "press_accreditations"),
    reference("group_id", "groups", index=True),
    sa.Column("requested", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("granted", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.PrimaryKeyConstraint("accreditation_id", "group_id"),
)
