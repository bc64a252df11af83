"""press releases: embargoed releases of brand accounts, the newsroom and its subscribers

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-07 11:45:00
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0038'
down_revision = '0037'
branch_labels = None
depends_on = None


def _account(table: str, name: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([name], ['accounts.id'],
                                   name=op.f(f'fk_{table}_{name}_accounts'), ondelete='SET NULL')


def upgrade() -> None:
    moment = zwitscher.db.schema.UTCDateTime
    op.create_table(
        'press_releases',
        sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('brand_id', sa.BigInteger(), nullable=False),
        sa.Column('written_by_id', sa.BigInteger(), nullable=True),
        sa.Column('headline', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=True),
        sa.Column('contact_id', sa.BigInteger(), nullable=True),
        sa.Column('contact_details', sa.String(length=500), server_default='', nullable=False),
        sa.Column('public', sa.Boolean(), nullable=False),
        sa.Column('preview_at', moment(), nullable=False),
        sa.Column('publish_at', moment(), nullable=False),
        sa.Column('previewed_at', moment(), nullable=True),
        sa.Column('status_id', sa.BigInteger(), nullable=True),
        sa.Column('published_at', moment(), nullable=True),
        sa.Column('created_at', moment(), nullable=False),
        sa.Column('updated_at', moment(), nullable=False),
        sa.ForeignKeyConstraint(['brand_id'], ['accounts.id'],
                                name=op.f('fk_press_releases_brand_id_accounts'),
                                ondelete='CASCADE'),
        _account('press_releases', 'written_by_id'),
        _account('press_releases', 'contact_id'),
        sa.ForeignKeyConstraint(['status_id'], ['statuses.id'],
                                name=op.f('fk_press_releases_status_id_statuses'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_press_releases')),
        sa.UniqueConstraint('status_id', name=op.f('uq_press_releases_status_id')),
    )
    with op.batch_alter_table('press_releases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_press_releases_brand_id'), ['brand_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_press_releases_publish_at'), ['publish_at'],
                              unique=False)
    op.create_table(
        'press_release_groups',
        sa.Column('release_id', sa.BigInteger(), nullable=False),
        sa.Column('group_id', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id'],
                                name=op.f('fk_press_release_groups_group_id_groups'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['release_id'], ['press_releases.id'],
                                name=op.f('fk_press_release_groups_release_id_press_releases'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('release_id', 'group_id', name=op.f('pk_press_release_groups')),
    )
    with op.batch_alter_table('press_release_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_press_release_groups_group_id'), ['group_id'],
                              unique=False)
    op.create_table(
        'newsroom_subscribers',
        sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('brand_id', sa.BigInteger(), nullable=False),
        sa.Column('email', sa.String(length=320), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('token_digest', sa.String(length=64), nullable=False),
        sa.Column('confirmed_at', moment(), nullable=True),
        sa.Column('created_at', moment(), nullable=False),
        sa.ForeignKeyConstraint(['brand_id'], ['accounts.id'],
                                name=op.f('fk_newsroom_subscribers_brand_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_newsroom_subscribers')),
        sa.UniqueConstraint('brand_id', 'email', name=op.f('uq_newsroom_subscribers_brand_id_email')),
        sa.UniqueConstraint('token_digest', name=op.f('uq_newsroom_subscribers_token_digest')),
    )
    with op.batch_alter_table('media_attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('press_release_id', sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f('ix_media_attachments_press_release_id'),
                              ['press_release_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_media_attachments_press_release_id_press_releases'),
            'press_releases', ['press_release_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('media_attachments', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_media_attachments_press_release_id_press_releases'),
            type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_media_attachments_press_release_id'))
        batch_op.drop_column('press_release_id')
    op.drop_table('newsroom_subscribers')
    with op.batch_alter_table('press_release_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_press_release_groups_group_id'))
    op.drop_table('press_release_groups')
    with op.batch_alter_table('press_releases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_press_releases_publish_at'))
        batch_op.drop_index(batch_op.f('ix_press_releases_brand_id'))
    op.drop_table('press_releases')
