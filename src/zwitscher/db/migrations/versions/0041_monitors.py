"""monitors: saved queries matched at ingest, their matches, hourly counts and alert state

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-07 19:15:00
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0041'
down_revision = '0040'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('monitors',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('owner_id', sa.BigInteger(), nullable=True),
    sa.Column('group_id', sa.BigInteger(), nullable=True),
    sa.Column('created_by_id', sa.BigInteger(), nullable=True),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('exclusions', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('hashtags', sa.JSON(), nullable=False),
    sa.Column('account_ids', sa.JSON(), nullable=False),
    sa.Column('group_ids', sa.JSON(), nullable=False),
    sa.Column('alert_email', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('alert_push', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('webhook_url', sa.String(length=2000), nullable=True),
    sa.Column('webhook_secret', sa.String(length=200), nullable=True),
    sa.Column('created_at', zwitscher.db.schema.base.UTCDateTime(), nullable=False),
    sa.Column('updated_at', zwitscher.db.schema.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'], name=op.f('fk_monitors_owner_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_monitors_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['accounts.id'], name=op.f('fk_monitors_created_by_id_accounts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitors'))
    )
    with op.batch_alter_table('monitors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitors_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitors_group_id'), ['group_id'], unique=False)
    index = op.create_table('monitor_index',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.BigInteger(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitor_index'))
    )
    op.bulk_insert(index, [{'id': 1, 'version': 0}])
    op.create_table('monitor_matches',
    sa.Column('monitor_id', sa.BigInteger(), nullable=False),
    sa.Column('status_id', sa.BigInteger(), nullable=False),
    sa.Column('matched_at', zwitscher.db.schema.base.UTCDateTime(), nullable=False),
    sa.Column('terms', sa.JSON(), nullable=False),
    sa.Column('sentiment', sa.Float(), nullable=True),
    sa.Column('sentiment_label', sa.String(length=8), nullable=True),
    sa.ForeignKeyConstraint(['monitor_id'], ['monitors.id'], name=op.f('fk_monitor_matches_monitor_id_monitors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['status_id'], ['statuses.id'], name=op.f('fk_monitor_matches_status_id_statuses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('monitor_id', 'status_id', name=op.f('pk_monitor_matches'))
    )
    with op.batch_alter_table('monitor_matches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitor_matches_status_id'), ['status_id'], unique=False)
    op.create_table('monitor_hourly_counts',
    sa.Column('monitor_id', sa.BigInteger(), nullable=False),
    sa.Column('hour', zwitscher.db.schema.base.UTCDateTime(), nullable=False),
    sa.Column('matches', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['monitor_id'], ['monitors.id'], name=op.f('fk_monitor_hourly_counts_monitor_id_monitors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('monitor_id', 'hour', name=op.f('pk_monitor_hourly_counts'))
    )
    op.create_table('monitor_mail_state',
    sa.Column('monitor_id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('sent_through_id', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('next_at', zwitscher.db.schema.base.UTCDateTime(), nullable=True),
    sa.Column('queued', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['monitor_id'], ['monitors.id'], name=op.f('fk_monitor_mail_state_monitor_id_monitors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_monitor_mail_state_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('monitor_id', 'account_id', name=op.f('pk_monitor_mail_state'))
    )
    op.create_table('monitor_term_counts',
    sa.Column('monitor_id', sa.BigInteger(), nullable=False),
    sa.Column('day', zwitscher.db.schema.base.UTCDateTime(), nullable=False),
    sa.Column('term', sa.String(length=100), nullable=False),
    sa.Column('posts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['monitor_id'], ['monitors.id'], name=op.f('fk_monitor_term_counts_monitor_id_monitors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('monitor_id', 'day', 'term', name=op.f('pk_monitor_term_counts'))
    )
    op.create_table('monitor_spike_state',
    sa.Column('monitor_id', sa.BigInteger(), nullable=False),
    sa.Column('spiking_through', zwitscher.db.schema.base.UTCDateTime(), nullable=True),
    sa.Column('alerted_hour', zwitscher.db.schema.base.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['monitor_id'], ['monitors.id'], name=op.f('fk_monitor_spike_state_monitor_id_monitors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('monitor_id', name=op.f('pk_monitor_spike_state'))
    )


def downgrade() -> None:
    op.drop_table('monitor_spike_state')
    op.drop_table('monitor_term_counts')
    op.drop_table('monitor_mail_state')
    op.drop_table('monitor_hourly_counts')
    with op.batch_alter_table('monitor_matches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitor_matches_status_id'))
    op.drop_table('monitor_matches')
    op.drop_table('monitor_index')
    with op.batch_alter_table('monitors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitors_group_id'))
        batch_op.drop_index(batch_op.f('ix_monitors_owner_id'))
    op.drop_table('monitors')
