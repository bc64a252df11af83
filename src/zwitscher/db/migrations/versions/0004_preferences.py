"""preferences and markers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 09:30:00
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('markers',
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('timeline', sa.String(length=16), nullable=False),
    sa.Column('last_read_id', sa.BigInteger(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_markers_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'timeline', name=op.f('pk_markers'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('default_visibility', sa.String(length=16), server_default='public', nullable=False))
        batch_op.add_column(sa.Column('default_sensitive', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('default_language', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('expand_media', sa.String(length=16), server_default='default', nullable=False))
        batch_op.add_column(sa.Column('expand_spoilers', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('expand_spoilers')
        batch_op.drop_column('expand_media')
        batch_op.drop_column('default_language')
        batch_op.drop_column('default_sensitive')
        batch_op.drop_column('default_visibility')
    op.drop_table('markers')
