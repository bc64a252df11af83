"""web push: subscriptions, server keys

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 17:19:12
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('server_keys',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('private_key', sa.Text(), nullable=False),
    sa.Column('public_key', sa.String(length=200), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_server_keys'))
    )
    op.create_table('push_subscriptions',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('token_id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('endpoint', sa.String(length=2000), nullable=False),
    sa.Column('p256dh', sa.String(length=100), nullable=False),
    sa.Column('auth', sa.String(length=50), nullable=False),
    sa.Column('standard', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('alerts', sa.JSON(), nullable=False),
    sa.Column('policy', sa.String(length=16), server_default='all', nullable=False),
    sa.Column('access_token', sa.String(length=200), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_push_subscriptions_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['token_id'], ['oauth_tokens.id'], name=op.f('fk_push_subscriptions_token_id_oauth_tokens'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_subscriptions')),
    sa.UniqueConstraint('token_id', name=op.f('uq_push_subscriptions_token_id'))
    )
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_push_subscriptions_account_id'), ['account_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_subscriptions_account_id'))

    op.drop_table('push_subscriptions')
    op.drop_table('server_keys')
