"""quality score: follow events, flagged accounts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('follow_events',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('target_account_id', sa.BigInteger(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_follow_events_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_events'))
    )
    with op.batch_alter_table('follow_events', schema=None) as batch_op:
        batch_op.create_index('ix_follow_events_account_id_id', ['account_id', 'id'], unique=False)

    with op.batch_alter_table('account_quality', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flagged', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('account_quality', schema=None) as batch_op:
        batch_op.drop_column('flagged')

    with op.batch_alter_table('follow_events', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_events_account_id_id')

    op.drop_table('follow_events')
