"""stories: curated, annotated posts published as pages, embeds and feeds

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-07 11:45:00
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None


def _story(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(['story_id'], ['stories.id'],
                                   name=op.f(f'fk_{table}_story_id_stories'), ondelete='CASCADE')


def upgrade() -> None:
    moment = zwitscher.db.schema.UTCDateTime
    op.create_table(
        'stories',
        sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('owner_id', sa.BigInteger(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('summary', sa.Text(), server_default='', nullable=False),
        sa.Column('audience', sa.String(length=16), nullable=False),
        sa.Column('published_at', moment(), nullable=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.Column('created_at', moment(), nullable=False),
        sa.Column('updated_at', moment(), nullable=False),
        sa.ForeignKeyConstraint(['owner_id'], ['accounts.id'],
                                name=op.f('fk_stories_owner_id_accounts'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stories')))
    op.create_index(op.f('ix_stories_owner_id'), 'stories', ['owner_id'])
    op.create_table(
        'story_blocks',
        sa.Column('story_id', sa.BigInteger(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('text', sa.Text(), server_default='', nullable=False),
        sa.Column('status_id', sa.BigInteger(), nullable=True),
        sa.Column('snapshot', sa.JSON(), nullable=True),
        _story('story_blocks'),
        sa.ForeignKeyConstraint(['status_id'], ['statuses.id'],
                                name=op.f('fk_story_blocks_status_id_statuses'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('story_id', 'position', name=op.f('pk_story_blocks')))
    op.create_index(op.f('ix_story_blocks_status_id'), 'story_blocks', ['status_id'])
    op.create_table(
        'story_collaborators',
        sa.Column('story_id', sa.BigInteger(), nullable=False),
        sa.Column('account_id', sa.BigInteger(), nullable=False),
        sa.Column('added_at', moment(), nullable=False),
        _story('story_collaborators'),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'],
                                name=op.f('fk_story_collaborators_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('story_id', 'account_id', name=op.f('pk_story_collaborators')))
    op.create_index(op.f('ix_story_collaborators_account_id'), 'story_collaborators',
                    ['account_id'])
    op.create_table(
        'story_saves',
        sa.Column('story_id', sa.BigInteger(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.BigInteger(), nullable=True),
        sa.Column('saved_at', moment(), nullable=False),
        _story('story_saves'),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'],
                                name=op.f('fk_story_saves_account_id_accounts'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('story_id', 'version', name=op.f('pk_story_saves')))


def downgrade() -> None:
    op.drop_table('story_saves')
    op.drop_index(op.f('ix_story_collaborators_account_id'), table_name='story_collaborators')
    op.drop_table('story_collaborators')
    op.drop_index(op.f('ix_story_blocks_status_id'), table_name='story_blocks')
    op.drop_table('story_blocks')
    op.drop_index(op.f('ix_stories_owner_id'), table_name='stories')
    op.drop_table('stories')
