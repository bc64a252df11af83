"""Press conferences: a brand's time-boxed live session with a moderated question queue, its
answers (replies to the announcement status, posted as the brand) and their transcript
(`services/call_press_conference.py` and its neighbours; `policies/press_conferences.py` has
the rules)."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import UTCDateTime, created, id_column, metadata, reference


def _account_ref(name: str) -> sa.Column:
    """Who did something to a conference or question: the record stays (it is the transcript's
    history) when the account goes."""
    return sa.Column(name, sa.BigInteger, sa.ForeignKey("accounts.id", ondelete="SET NULL"),
                     nullable=True)


def _status_ref(name: str) -> sa.Column:
    return sa.Column(name, sa.BigInteger, sa.ForeignKey("statuses.id", ondelete="SET NULL"),
                     nullable=True)


press_conferences = sa.Table(
    "press_conferences", metadata,
    id_column(),
    reference("brand_id", "accounts", index=True),
    _account_ref("created_by_id"),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("starts_at", UTCDateTime, nullable=False),
    sa.Column("ends_at", UTCDateTime, nullable=False),
    # "public": anyone watches, anyone signed in takes part; "groups": the members of
    # `press_conference_groups` (and of the groups below them) only.
    sa.Column("audience", sa.String(16), nullable=False),
    # scheduled -> open (the announcement is posted) -> ended (its end, or ended early)
    sa.Column("state", sa.String(16), nullable=False, server_default="scheduled"),
    # The brand's announcement: answers are replies to it.
    _status_ref("announcement_id"),
    _account_ref("ended_by_id"),
    sa.Column("ended_at", UTCDateTime, nullable=True),
    created(),
)

press_conference_groups = sa.Table(
    "press_conference_groups", metadata,
    reference("conference_id", "press_conferences"),
    reference("group_id", "groups", index=True),
    sa.PrimaryKeyConstraint("conference_id", "group_id"),
)

press_questions = sa.Table(
    "press_questions", metadata,
    id_column(),
    reference("conference_id", "press_conferences"),
    # The person's questions go with their account, as their posts do.
    reference("asker_id", "accounts", index=True),
    sa.Column("text", sa.Text, nullable=False),
    # pending -> accepted -> answered | pending/accepted -> rejected | pending/accepted ->
    # merged (into another, `merged_into_id`: its asker is shown as also asking that one)
    sa.Column("state", sa.String(16), nullable=False, server_default="pending"),
    # Why it was rejected: shown to its asker and the moderators.
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("merged_into_id", sa.BigInteger,
              sa.ForeignKey("press_questions.id", ondelete="SET NULL"), nullable=True,
              index=True),
    # Kept as a count beside the votes themselves: the queue is sorted by it.
    sa.Column("votes", sa.Integer, nullable=False, server_default="0"),
    _account_ref("moderated_by_id"),
    sa.Column("moderated_at", UTCDateTime, nullable=True),
    # The answer as its author typed it (the transcript's), and the status that carries it.
    sa.Column("answer_text", sa.Text, nullable=True),
    _status_ref("answer_status_id"),
    _account_ref("answered_by_id"),
    sa.Column("answered_at", UTCDateTime, nullable=True),
    created(),
    sa.Index("ix_press_questions_conference_id_state", "conference_id", "state"),
)

press_question_votes = sa.Table(
    "press_question_votes", metadata,
    reference("question_id", "press_questions"),
    reference("account_id", "accounts", index=True),
    created(),
    sa.PrimaryKeyConstraint("question_id", "account_id"),
)
