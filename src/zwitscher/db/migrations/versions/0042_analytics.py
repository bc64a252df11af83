"""analytics: raw events, hourly and daily buckets, open mentions

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-07 19:15:00
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0042'
down_revision = '0041'
branch_labels = None
depends_on = None


def _buckets(name: str) -> None:
    op.create_table(name,
    sa.Column('subject_kind', sa.String(length=8), nullable=False),
    sa.Column('subject_id', sa.BigInteger(), nullable=False),
    sa.Column('metric', sa.String(length=32), nullable=False),
    sa.Column('bucket_start', zwitscher.db.schema.base.UTCDateTime(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('subject_kind', 'subject_id', 'bucket_start', 'metric',
                            name=op.f(f'pk_{name}')),
    sqlite_with_rowid=False
    )


def upgrade() -> None:
    op.create_table('analytics_events',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('subject_kind', sa.String(length=8), nullable=False),
    sa.Column('subject_id', sa.BigInteger(), nullable=False),
    sa.Column('metric', sa.String(length=32), nullable=False),
    sa.Column('hour', zwitscher.db.schema.base.UTCDateTime(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analytics_events'))
    )
    _buckets('analytics_hourly')
    _buckets('analytics_daily')
    op.create_table('analytics_open_mentions',
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('thread_root_id', sa.BigInteger(), nullable=False),
    sa.Column('mentioned_at', zwitscher.db.schema.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('account_id', 'thread_root_id',
                            name=op.f('pk_analytics_open_mentions'))
    )
    op.create_index(op.f('ix_analytics_open_mentions_mentioned_at'), 'analytics_open_mentions',
                    ['mentioned_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_analytics_open_mentions_mentioned_at'),
                  table_name='analytics_open_mentions')
    op.drop_table('analytics_open_mentions')
    op.drop_table('analytics_daily')
    op.drop_table('analytics_hourly')
    op.drop_table('analytics_events')
