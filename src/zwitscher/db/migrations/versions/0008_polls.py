"""polls (options, voters, votes) and scheduled statuses

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 17:18:54.473388
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('scheduled_statuses',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('posted_by_id', sa.BigInteger(), nullable=True),
    sa.Column('application_id', sa.BigInteger(), nullable=True),
    sa.Column('scheduled_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_scheduled_statuses_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['posted_by_id'], ['accounts.id'], name=op.f('fk_scheduled_statuses_posted_by_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheduled_statuses'))
    )
    with op.batch_alter_table('scheduled_statuses', schema=None) as batch_op:
        batch_op.create_index('ix_scheduled_statuses_account_id_id', ['account_id', 'id'], unique=False)
        batch_op.create_index('ix_scheduled_statuses_account_id_scheduled_at', ['account_id', 'scheduled_at'], unique=False)

    op.create_table('polls',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('status_id', sa.BigInteger(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('multiple', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('hide_totals', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('expires_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.Column('ended_at', zwitscher.db.schema.UTCDateTime(), nullable=True),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['status_id'], ['statuses.id'], name=op.f('fk_polls_status_id_statuses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_polls')),
    sa.UniqueConstraint('status_id', name=op.f('uq_polls_status_id'))
    )
    op.create_table('poll_voters',
    sa.Column('poll_id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_poll_voters_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_voters_poll_id_polls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'account_id', name=op.f('pk_poll_voters'))
    )
    with op.batch_alter_table('poll_voters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_voters_account_id'), ['account_id'], unique=False)

    op.create_table('poll_votes',
    sa.Column('poll_id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('choice', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_poll_votes_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_votes_poll_id_polls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'account_id', 'choice', name=op.f('pk_poll_votes'))
    )
    with op.batch_alter_table('poll_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_votes_account_id'), ['account_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('poll_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_votes_account_id'))

    op.drop_table('poll_votes')
    with op.batch_alter_table('poll_voters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_voters_account_id'))

    op.drop_table('poll_voters')
    op.drop_table('polls')
    with op.batch_alter_table('scheduled_statuses', schema=None) as batch_op:
        batch_op.drop_index('ix_scheduled_statuses_account_id_scheduled_at')
        batch_op.drop_index('ix_scheduled_statuses_account_id_id')

    op.drop_table('scheduled_statuses')
