"""Live events: an event with its audience and organisers, its participants (invitees and
attendees) with their answers and consents, the posts made through it, the posts held for
review, and the posts hidden from its wall (`policies/events.py` has the rules).

An event's hashtag is unique among the events not archived: `hashtag_key` holds it in lower
case while the event is live and is NULL once it is archived (NULLs never collide), so a later
event may take the tag of an earlier one.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import UTCDateTime, created, id_column, metadata, reference


def _account_ref(name: str) -> sa.Column:
    """Who did something to an event: the record stays when the account goes."""
    return sa.Column(name, sa.BigInteger, sa.ForeignKey("accounts.id", ondelete="SET NULL"),
                     nullable=True)


events = sa.Table(
    "events", metadata,
    id_column(),
    _account_ref("created_by_id"),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("place", sa.String(300), nullable=False, server_default=""),
    sa.Column("starts_at", UTCDateTime, nullable=False, index=True),
    sa.Column("ends_at", UTCDateTime, nullable=False),
    # The tag as the organisers wrote it (without "#"), and its key while the event is live.
    sa.Column("hashtag", sa.String(100), nullable=False),
    sa.Column("hashtag_key", sa.String(100), nullable=True, unique=True),
    # public | internal | group (`event_groups`) | invitees
    sa.Column("audience", sa.String(16), nullable=False),
    # The wall's secret link is signed with this generation: regenerating counts it up, and
    # every earlier link stops working (`services/event_links.py`).
    sa.Column("wall_generation", sa.Integer, nullable=False, server_default="1"),
    # The story the event was turned into after it ended.
    sa.Column("story_id", sa.BigInteger, sa.ForeignKey("stories.id", ondelete="SET NULL"),
              nullable=True),
    sa.Column("archived_at", UTCDateTime, nullable=True),
    created(),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

event_groups = sa.Table(
    "event_groups", metadata,
    reference("event_id", "events"),
    reference("group_id", "groups", index=True),
    sa.PrimaryKeyConstraint("event_id", "group_id"),
)

# The creator and the co-organisers they added: the event's moderators.
event_organisers = sa.Table(
    "event_organisers", metadata,
    reference("event_id", "events"),
    reference("account_id", "accounts", index=True),
    created(),
    sa.PrimaryKeyConstraint("event_id", "account_id"),
)

# One row per participant and event, whatever they answered and however often: an invitee
# (an account, or an e-mail address without one) or an attendee who answered on their own.
event_participants = sa.Table(
    "event_participants", metadata,
    id_column(),
    reference("event_id", "events"),
    reference("account_id", "accounts", nullable=True, index=True),
    sa.Column("email", sa.String(320), nullable=True),
    sa.Column("name", sa.String(200), nullable=False, server_default=""),
    sa.Column("language", sa.String(8), nullable=False, server_default="en"),
    # Invited by an organiser (else an attendee who answered by themselves).
    sa.Column("invited", sa.Boolean, nullable=False, server_default=sa.false()),
    _account_ref("invited_by_id"),
    # pending | accepted | declined | maybe: the current answer, the only one kept.
    sa.Column("answer", sa.String(16), nullable=False, server_default="pending"),
    sa.Column("answered_at", UTCDateTime, nullable=True),
    # yes | no | unknown each (`policies/events.py: consents`).
    sa.Column("consent_named", sa.String(8), nullable=False, server_default="unknown"),
    sa.Column("consent_quoted", sa.String(8), nullable=False, server_default="unknown"),
    sa.Column("consent_pictures", sa.String(8), nullable=False, server_default="unknown"),
    sa.Column("consent_at", UTCDateTime, nullable=True),
    created(),
    sa.UniqueConstraint("event_id", "account_id"),
    sa.UniqueConstraint("event_id", "email"),
)

# Posts made through the event (its page, or its API): addressed to its audience.
event_posts = sa.Table(
    "event_posts", metadata,
    reference("status_id", "statuses"),
    reference("event_id", "events", index=True),
    sa.PrimaryKeyConstraint("status_id"),
)

# Posts from the event that mention a participant against their consent: not published until
# an organiser publishes them (after the consent changed) or discards them.
event_held_posts = sa.Table(
    "event_held_posts", metadata,
    id_column(),
    reference("event_id", "events"),
    reference("author_id", "accounts", index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("spoiler_text", sa.String(1000), nullable=False, server_default=""),
    sa.Column("sensitive", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("language", sa.String(16), nullable=True),
    sa.Column("media_ids", sa.JSON, nullable=False),
    # Why it is held: [{"participant_id", "account_id", "consent"}, ...]
    sa.Column("reasons", sa.JSON, nullable=False),
    # held | published | discarded
    sa.Column("state", sa.String(16), nullable=False, server_default="held"),
    _account_ref("decided_by_id"),
    sa.Column("decided_at", UTCDateTime, nullable=True),
    sa.Column("status_id", sa.BigInteger, sa.ForeignKey("statuses.id", ondelete="SET NULL"),
              nullable=True),
    created(),
    sa.Index("ix_event_held_posts_event_id_state", "event_id", "state"),
)

# Posts an organiser took off the event's wall: never served to it again.
event_wall_hidden = sa.Table(
    "event_wall_hidden", metadata,
    reference("event_id", "events"),
    reference("status_id", "statuses", index=True),
    _account_ref("hidden_by_id"),
    created(),
    sa.PrimaryKeyConstraint("event_id", "status_id"),
)
