"""media attachments, profile images (avatar and header)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 17:19:05
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('media_attachments',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('status_id', sa.BigInteger(), nullable=True),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('type', sa.String(length=16), server_default='image', nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('file_key', sa.String(length=200), nullable=False),
    sa.Column('file_url', sa.String(length=2000), nullable=False),
    sa.Column('file_size', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('preview_key', sa.String(length=200), nullable=False),
    sa.Column('preview_url', sa.String(length=2000), nullable=False),
    sa.Column('preview_width', sa.Integer(), nullable=False),
    sa.Column('preview_height', sa.Integer(), nullable=False),
    sa.Column('blurhash', sa.String(length=100), nullable=True),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('focus_x', sa.Float(), server_default='0', nullable=False),
    sa.Column('focus_y', sa.Float(), server_default='0', nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_media_attachments_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['status_id'], ['statuses.id'], name=op.f('fk_media_attachments_status_id_statuses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_attachments'))
    )
    with op.batch_alter_table('media_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_attachments_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_media_attachments_status_id'), ['status_id'], unique=False)

    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('avatar_key', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('avatar_url', sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column('header_key', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('header_url', sa.String(length=2000), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('header_url')
        batch_op.drop_column('header_key')
        batch_op.drop_column('avatar_url')
        batch_op.drop_column('avatar_key')

    with op.batch_alter_table('media_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_attachments_status_id'))
        batch_op.drop_index(batch_op.f('ix_media_attachments_account_id'))

    op.drop_table('media_attachments')
