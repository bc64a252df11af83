"""followed and featured tags, endorsements, suggestion dismissals, announcements

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 17:18:16
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('announcements',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('content_html', sa.Text(), nullable=False),
    sa.Column('mentioned_ids', sa.JSON(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('starts_at', zwitscher.db.schema.UTCDateTime(), nullable=True),
    sa.Column('ends_at', zwitscher.db.schema.UTCDateTime(), nullable=True),
    sa.Column('all_day', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('published', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('published_at', zwitscher.db.schema.UTCDateTime(), nullable=True),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.Column('updated_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcements'))
    )
    op.create_table('announcement_reactions',
    sa.Column('announcement_id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_announcement_reactions_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcements.id'], name=op.f('fk_announcement_reactions_announcement_id_announcements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('announcement_id', 'account_id', 'name', name=op.f('pk_announcement_reactions'))
    )
    with op.batch_alter_table('announcement_reactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcement_reactions_account_id'), ['account_id'], unique=False)

    op.create_table('announcement_reads',
    sa.Column('announcement_id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_announcement_reads_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcements.id'], name=op.f('fk_announcement_reads_announcement_id_announcements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('announcement_id', 'account_id', name=op.f('pk_announcement_reads'))
    )
    with op.batch_alter_table('announcement_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcement_reads_account_id'), ['account_id'], unique=False)

    op.create_table('endorsements',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('target_account_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_endorsements_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_account_id'], ['accounts.id'], name=op.f('fk_endorsements_target_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_endorsements')),
    sa.UniqueConstraint('account_id', 'target_account_id', name=op.f('uq_endorsements_account_id_target_account_id'))
    )
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_endorsements_target_account_id'), ['target_account_id'], unique=False)

    op.create_table('featured_tags',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('tag_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_featured_tags_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_featured_tags_tag_id_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_featured_tags')),
    sa.UniqueConstraint('account_id', 'tag_id', name=op.f('uq_featured_tags_account_id_tag_id'))
    )
    with op.batch_alter_table('featured_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_featured_tags_tag_id'), ['tag_id'], unique=False)

    op.create_table('suggestion_dismissals',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('target_account_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_suggestion_dismissals_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_account_id'], ['accounts.id'], name=op.f('fk_suggestion_dismissals_target_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_dismissals')),
    sa.UniqueConstraint('account_id', 'target_account_id', name=op.f('uq_suggestion_dismissals_account_id_target_account_id'))
    )
    with op.batch_alter_table('suggestion_dismissals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_dismissals_target_account_id'), ['target_account_id'], unique=False)

    op.create_table('tag_follows',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('tag_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_tag_follows_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_tag_follows_tag_id_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tag_follows')),
    sa.UniqueConstraint('account_id', 'tag_id', name=op.f('uq_tag_follows_account_id_tag_id'))
    )
    with op.batch_alter_table('tag_follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tag_follows_tag_id'), ['tag_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('tag_follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tag_follows_tag_id'))

    op.drop_table('tag_follows')
    with op.batch_alter_table('suggestion_dismissals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_dismissals_target_account_id'))

    op.drop_table('suggestion_dismissals')
    with op.batch_alter_table('featured_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_featured_tags_tag_id'))

    op.drop_table('featured_tags')
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_endorsements_target_account_id'))

    op.drop_table('endorsements')
    with op.batch_alter_table('announcement_reads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcement_reads_account_id'))

    op.drop_table('announcement_reads')
    with op.batch_alter_table('announcement_reactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcement_reactions_account_id'))

    op.drop_table('announcement_reactions')
    op.drop_table('announcements')
