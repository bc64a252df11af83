"""live events: events, invitations and RSVPs, the consent registry, held posts, the live wall

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-07 15:30:00
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0039'
down_revision = '0038'
branch_labels = None
depends_on = None


def upgrade() -> None:
    moment = zwitscher.db.schema.UTCDateTime
    op.create_table(
        'events',
        sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('created_by_id', sa.BigInteger(), nullable=True),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), server_default='', nullable=False),
        sa.Column('place', sa.String(length=300), server_default='', nullable=False),
        sa.Column('starts_at', moment(), nullable=False),
        sa.Column('ends_at', moment(), nullable=False),
        sa.Column('hashtag', sa.String(length=100), nullable=False),
        sa.Column('hashtag_key', sa.String(length=100), nullable=True),
        sa.Column('audience', sa.String(length=16), nullable=False),
        sa.Column('wall_generation', sa.Integer(), server_default='1', nullable=False),
        sa.Column('story_id', sa.BigInteger(), nullable=True),
        sa.Column('archived_at', moment(), nullable=True),
        sa.Column('created_at', moment(), nullable=False),
        sa.Column('updated_at', moment(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['accounts.id'], name=op.f('fk_events_created_by_id_accounts'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_events_story_id_stories'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
        sa.UniqueConstraint('hashtag_key', name=op.f('uq_events_hashtag_key'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_starts_at'), ['starts_at'], unique=False)

    op.create_table(
        'event_groups',
        sa.Column('event_id', sa.BigInteger(), nullable=False),
        sa.Column('group_id', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_groups_event_id_events'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_event_groups_group_id_groups'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('event_id', 'group_id', name=op.f('pk_event_groups'))
    )
    with op.batch_alter_table('event_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_groups_group_id'), ['group_id'], unique=False)

    op.create_table(
        'event_held_posts',
        sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('event_id', sa.BigInteger(), nullable=False),
        sa.Column('author_id', sa.BigInteger(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('spoiler_text', sa.String(length=1000), server_default='', nullable=False),
        sa.Column('sensitive', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('language', sa.String(length=16), nullable=True),
        sa.Column('media_ids', sa.JSON(), nullable=False),
        sa.Column('reasons', sa.JSON(), nullable=False),
        sa.Column('state', sa.String(length=16), server_default='held', nullable=False),
        sa.Column('decided_by_id', sa.BigInteger(), nullable=True),
        sa.Column('decided_at', moment(), nullable=True),
        sa.Column('status_id', sa.BigInteger(), nullable=True),
        sa.Column('created_at', moment(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['accounts.id'], name=op.f('fk_event_held_posts_author_id_accounts'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['accounts.id'], name=op.f('fk_event_held_posts_decided_by_id_accounts'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_held_posts_event_id_events'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['status_id'], ['statuses.id'], name=op.f('fk_event_held_posts_status_id_statuses'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event_held_posts'))
    )
    with op.batch_alter_table('event_held_posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_held_posts_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_event_held_posts_event_id_state', ['event_id', 'state'], unique=False)

    op.create_table(
        'event_organisers',
        sa.Column('event_id', sa.BigInteger(), nullable=False),
        sa.Column('account_id', sa.BigInteger(), nullable=False),
        sa.Column('created_at', moment(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_event_organisers_account_id_accounts'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_organisers_event_id_events'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('event_id', 'account_id', name=op.f('pk_event_organisers'))
    )
    with op.batch_alter_table('event_organisers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_organisers_account_id'), ['account_id'], unique=False)

    op.create_table(
        'event_participants',
        sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('event_id', sa.BigInteger(), nullable=False),
        sa.Column('account_id', sa.BigInteger(), nullable=True),
        sa.Column('email', sa.String(length=320), nullable=True),
        sa.Column('name', sa.String(length=200), server_default='', nullable=False),
        sa.Column('language', sa.String(length=8), server_default='en', nullable=False),
        sa.Column('invited', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('invited_by_id', sa.BigInteger(), nullable=True),
        sa.Column('answer', sa.String(length=16), server_default='pending', nullable=False),
        sa.Column('answered_at', moment(), nullable=True),
        sa.Column('consent_named', sa.String(length=8), server_default='unknown', nullable=False),
        sa.Column('consent_quoted', sa.String(length=8), server_default='unknown', nullable=False),
        sa.Column('consent_pictures', sa.String(length=8), server_default='unknown', nullable=False),
        sa.Column('consent_at', moment(), nullable=True),
        sa.Column('created_at', moment(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_event_participants_account_id_accounts'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_participants_event_id_events'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['invited_by_id'], ['accounts.id'], name=op.f('fk_event_participants_invited_by_id_accounts'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event_participants')),
        sa.UniqueConstraint('event_id', 'account_id', name=op.f('uq_event_participants_event_id_account_id')),
        sa.UniqueConstraint('event_id', 'email', name=op.f('uq_event_participants_event_id_email'))
    )
    with op.batch_alter_table('event_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_participants_account_id'), ['account_id'], unique=False)

    op.create_table(
        'event_posts',
        sa.Column('status_id', sa.BigInteger(), nullable=False),
        sa.Column('event_id', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_posts_event_id_events'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['status_id'], ['statuses.id'], name=op.f('fk_event_posts_status_id_statuses'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('status_id', name=op.f('pk_event_posts'))
    )
    with op.batch_alter_table('event_posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_posts_event_id'), ['event_id'], unique=False)

    op.create_table(
        'event_wall_hidden',
        sa.Column('event_id', sa.BigInteger(), nullable=False),
        sa.Column('status_id', sa.BigInteger(), nullable=False),
        sa.Column('hidden_by_id', sa.BigInteger(), nullable=True),
        sa.Column('created_at', moment(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_wall_hidden_event_id_events'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['hidden_by_id'], ['accounts.id'], name=op.f('fk_event_wall_hidden_hidden_by_id_accounts'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['status_id'], ['statuses.id'], name=op.f('fk_event_wall_hidden_status_id_statuses'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('event_id', 'status_id', name=op.f('pk_event_wall_hidden'))
    )
    with op.batch_alter_table('event_wall_hidden', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_wall_hidden_status_id'), ['status_id'], unique=False)

    with op.batch_alter_table('media_attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_held_post_id', sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f('ix_media_attachments_event_held_post_id'),
                              ['event_held_post_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_media_attachments_event_held_post_id_event_held_posts'),
            'event_held_posts', ['event_held_post_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('media_attachments', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_media_attachments_event_held_post_id_event_held_posts'),
            type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_media_attachments_event_held_post_id'))
        batch_op.drop_column('event_held_post_id')
    with op.batch_alter_table('event_wall_hidden', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_wall_hidden_status_id'))
    op.drop_table('event_wall_hidden')
    with op.batch_alter_table('event_posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_posts_event_id'))
    op.drop_table('event_posts')
    with op.batch_alter_table('event_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_participants_account_id'))
    op.drop_table('event_participants')
    with op.batch_alter_table('event_organisers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_organisers_account_id'))
    op.drop_table('event_organisers')
    with op.batch_alter_table('event_held_posts', schema=None) as batch_op:
        batch_op.drop_index('ix_event_held_posts_event_id_state')
        batch_op.drop_index(batch_op.f('ix_event_held_posts_author_id'))
    op.drop_table('event_held_posts')
    with op.batch_alter_table('event_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_groups_group_id'))
    op.drop_table('event_groups')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_starts_at'))
    op.drop_table('events')
