"""Crisis broadcasts: prepared templates, external contact lists, and each crisis's recipients
and deliveries.

A crisis is sent once (`services/send_crisis.py`): it posts a priority status and writes one
`crisis_recipients` row per person or contact in its audience, and one `crisis_deliveries` row
per recipient and channel it goes out on. The deliveries are the outbox of the channels: the
delivery jobs claim them in batches, hand them to the push service, the mail server or the SMS
gateway, and mark them sent (`services/deliver_crisis.py`). Escalation adds rows for the next
channel to those who have neither opened nor acknowledged it; a re-send adds rows to those
not reached. So the dashboard's counts are the rows, not counters that could drift.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import UTCDateTime, created, id_column, metadata, reference


def _account(name: str, *, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.BigInteger, sa.ForeignKey("accounts.id", ondelete="SET NULL"),
                     nullable=nullable)


crisis_templates = sa.Table(
    "crisis_templates", metadata,
    id_column(),
    sa.Column("name", sa.String(100), nullable=False),
    # Texts with {placeholders} (`domain/crisis_texts.py`), filled in when it is sent.
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    # The account that posts it: a brand account, or the sender's own when NULL.
    _account("account_id"),
    # Audience and channels, as lists of ids and names (resolved, and checked, when sent).
    sa.Column("group_ids", sa.JSON, nullable=False),
    sa.Column("contact_list_ids", sa.JSON, nullable=False),
    sa.Column("channels", sa.JSON, nullable=False),
    sa.Column("escalation", sa.JSON, nullable=False),
    sa.Column("escalate_after_seconds", sa.Integer, nullable=False),
    sa.Column("public", sa.Boolean, nullable=False),
    _account("created_by_id"),
    created(),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

contact_lists = sa.Table(
    "contact_lists", metadata,
    id_column(),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("description", sa.String(500), nullable=False, server_default=""),
    _account("created_by_id"),
    created(),
)

# People without an account: relatives, authorities. Reached by e-mail and SMS only.
contacts = sa.Table(
    "contacts", metadata,
    id_column(),
    reference("list_id", "contact_lists", index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(320), nullable=True),
    # E.164 (`domain/phone_numbers.py`).
    sa.Column("phone", sa.String(20), nullable=True),
    sa.Column("language", sa.String(8), nullable=False),
    created(),
)

crises = sa.Table(
    "crises", metadata,
    id_column(),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    # The priority status, and the account that posted it.
    sa.Column("status_id", sa.BigInteger, sa.ForeignKey("statuses.id", ondelete="SET NULL"),
              nullable=True),
    reference("account_id", "accounts"),
    _account("sent_by_id"),
    sa.Column("template_id", sa.BigInteger,
              sa.ForeignKey("crisis_templates.id", ondelete="SET NULL"), nullable=True),
    sa.Column("group_ids", sa.JSON, nullable=False),
    sa.Column("contact_list_ids", sa.JSON, nullable=False),
    sa.Column("channels", sa.JSON, nullable=False),
    sa.Column("escalation", sa.JSON, nullable=False),
    sa.Column("escalate_after_seconds", sa.Integer, nullable=False),
    sa.Column("public", sa.Boolean, nullable=False),
    # The dark site (the public status page in place of the start page) shows this crisis.
    sa.Column("dark_site", sa.Boolean, nullable=False, server_default=sa.false()),
    created(),
    sa.Column("closed_at", UTCDateTime, nullable=True, index=True),
)

# The updates posted into a crisis after its first message; public ones are on the dark site.
crisis_updates = sa.Table(
    "crisis_updates", metadata,
    reference("crisis_id", "crises"),
    sa.Column("status_id", sa.BigInteger, sa.ForeignKey("statuses.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("public", sa.Boolean, nullable=False),
    created(),
    sa.PrimaryKeyConstraint("crisis_id", "status_id"),
)

crisis_recipients = sa.Table(
    "crisis_recipients", metadata,
    id_column(),
    reference("crisis_id", "crises"),
    # Through which part of the audience it was reached (the dashboard counts per part); a
    # person in several groups is one recipient, counted with the first.
    sa.Column("group_id", sa.BigInteger, sa.ForeignKey("groups.id", ondelete="SET NULL"),
              nullable=True),
    sa.Column("contact_list_id", sa.BigInteger,
              sa.ForeignKey("contact_lists.id", ondelete="SET NULL"), nullable=True),
    sa.Column("account_id", sa.BigInteger, sa.ForeignKey("accounts.id", ondelete="CASCADE"),
              nullable=True, index=True),
    sa.Column("contact_id", sa.BigInteger, sa.ForeignKey("contacts.id", ondelete="SET NULL"),
              nullable=True),
    # Copied when sent: a contact edited later does not change whom this crisis reached.
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(320), nullable=True),
    sa.Column("phone", sa.String(20), nullable=True),
    sa.Column("language", sa.String(8), nullable=False),
    # How many escalation steps it has had.
    sa.Column("step", sa.Integer, nullable=False, server_default="0"),
    sa.Column("reached_at", UTCDateTime, nullable=True),
    sa.Column("opened_at", UTCDateTime, nullable=True),
    sa.Column("acknowledged_at", UTCDateTime, nullable=True),
    sa.Column("answer", sa.String(16), nullable=True),
    sa.UniqueConstraint("crisis_id", "account_id"),
    sa.Index("ix_crisis_recipients_crisis_id_id", "crisis_id", "id"),
)

crisis_deliveries = sa.Table(
    "crisis_deliveries", metadata,
    id_column(),
    reference("crisis_id", "crises"),
    reference("recipient_id", "crisis_recipients"),
    sa.Column("channel", sa.String(8), nullable=False),
    # 0 when sent, the escalation step that added it, or 100 + n for the n-th re-send.
    sa.Column("round", sa.Integer, nullable=False),
    # queued → sending (claimed by a delivery job at claimed_at) → sent | failed | skipped
    sa.Column("state", sa.String(8), nullable=False),
    sa.Column("claimed_at", UTCDateTime, nullable=True),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("done_at", UTCDateTime, nullable=True),
    sa.Column("error", sa.String(300), nullable=True),
    sa.UniqueConstraint("recipient_id", "channel", "round"),
    sa.Index("ix_crisis_deliveries_crisis_id_channel_state", "crisis_id", "channel", "state"),
)
