"""Monitors (saved queries matched at ingest), their matches, hourly counts and alert state.

`monitors` holds each query as JSON lists (`domain/monitors.py`: `MonitorQuery.stored`). A
monitor belongs to a person (`owner_id`) or to a team, a group (`group_id`); exactly one of
the two is set. `monitor_index` is one row whose `version` every change of any monitor bumps
in its own transaction: each process rebuilds its matcher when the version it reads differs
from the one it built (`services/match_monitors.py`), so all web and worker processes follow.

A match is stored when a post first matches (and is gone when an edit no longer matches, or
with the post). `monitor_hourly_counts` counts matches per monitor and hour as they are
stored (the spike rule reads them). `monitor_mail_state` paces the e-mail alerts: at most one
per monitor and recipient per interval, carrying every match since the last one.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema.base import UTCDateTime, created, id_column, metadata, reference

monitors = sa.Table(
    "monitors", metadata,
    id_column(),
    sa.Column("name", sa.String(100), nullable=False),
    reference("owner_id", "accounts", nullable=True, index=True),
    reference("group_id", "groups", nullable=True, index=True),
    sa.Column("created_by_id", sa.BigInteger,
              sa.ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    sa.Column("keywords", sa.JSON, nullable=False),
    sa.Column("exclusions", sa.JSON, nullable=False),
    sa.Column("languages", sa.JSON, nullable=False),
    sa.Column("hashtags", sa.JSON, nullable=False),
    sa.Column("account_ids", sa.JSON, nullable=False),
    sa.Column("group_ids", sa.JSON, nullable=False),
    # Alerts on each new match.
    sa.Column("alert_email", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("alert_push", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("webhook_url", sa.String(2000), nullable=True),
    sa.Column("webhook_secret", sa.String(200), nullable=True),
    # Who last set the webhook's address: it carries what they may see, and only while they
    # may read the monitor (a team monitor's webhook stops when they leave the team).
    sa.Column("webhook_set_by_id", sa.BigInteger,
              sa.ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True),
    created(),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

monitor_index = sa.Table(
    "monitor_index", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("version", sa.BigInteger, nullable=False, server_default="0"),
)

monitor_matches = sa.Table(
    "monitor_matches", metadata,
    reference("monitor_id", "monitors"),
    reference("status_id", "statuses", index=True),
    sa.Column("matched_at", UTCDateTime, nullable=False),
    sa.Column("terms", sa.JSON, nullable=False),
    # The post's sentiment (`domain/sentiment.py`), scored once per post and again on an edit;
    # NULL where its language has no lexicon ("not scored").
    sa.Column("sentiment", sa.Float, nullable=True),
    sa.Column("sentiment_label", sa.String(8), nullable=True),
    sa.PrimaryKeyConstraint("monitor_id", "status_id"),
)

monitor_hourly_counts = sa.Table(
    "monitor_hourly_counts", metadata,
    reference("monitor_id", "monitors"),
    sa.Column("hour", UTCDateTime, nullable=False),
    sa.Column("matches", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("monitor_id", "hour"),
)

monitor_mail_state = sa.Table(
    "monitor_mail_state", metadata,
    reference("monitor_id", "monitors"),
    reference("account_id", "accounts"),
    # The newest match an e-mail carried, and when the next one may go.
    sa.Column("sent_through_id", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("next_at", UTCDateTime, nullable=True),
    # A digest job is queued (no second one is).
    sa.Column("queued", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.PrimaryKeyConstraint("monitor_id", "account_id"),
)

# Trending terms (`services/show_monitor_trends.py`): per monitor and UTC day, the posts
# newly matched that mention each term (`domain/terms.py: extract_terms`), counted at ingest.
# A day counts every term while it lasts (one statement per post, whatever the number of
# monitors matched); once it is over, a recurring job keeps its
# `MonitorInsightsRepo.TERMS_PER_DAY` most mentioned terms per monitor (`trim_monitor_terms`).
monitor_term_counts = sa.Table(
    "monitor_term_counts", metadata,
    reference("monitor_id", "monitors"),
    sa.Column("day", UTCDateTime, nullable=False),
    sa.Column("term", sa.String(100), nullable=False),
    sa.Column("posts", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("monitor_id", "day", "term"),
)

# Spike alerts (`services/check_monitor_spikes.py`): the end of the last 60 minutes found
# spiking and when the last spike was alerted, so a spike alerts once however long it lasts.
monitor_spike_state = sa.Table(
    "monitor_spike_state", metadata,
    reference("monitor_id", "monitors"),
    sa.Column("spiking_through", UTCDateTime, nullable=True),
    sa.Column("alerted_at", UTCDateTime, nullable=True),
    sa.PrimaryKeyConstraint("monitor_id"),
)
