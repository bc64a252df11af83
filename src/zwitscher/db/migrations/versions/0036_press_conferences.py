"""press conferences: a moderated question queue and its transcript

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-07 11:45:00
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None


def _set_null(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{target}.id'],
                                   name=op.f(f'fk_{table}_{column}_{target}'),
                                   ondelete='SET NULL')


def _cascade(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{target}.id'],
                                   name=op.f(f'fk_{table}_{column}_{target}'),
                                   ondelete='CASCADE')


def upgrade() -> None:
    moment = zwitscher.db.schema.UTCDateTime
    op.create_table(
        'press_conferences',
        sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('brand_id', sa.BigInteger(), nullable=False),
        sa.Column('created_by_id', sa.BigInteger(), nullable=True),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), server_default='', nullable=False),
        sa.Column('starts_at', moment(), nullable=False),
        sa.Column('ends_at', moment(), nullable=False),
        sa.Column('audience', sa.String(length=16), nullable=False),
        sa.Column('state', sa.String(length=16), server_default='scheduled', nullable=False),
        sa.Column('announcement_id', sa.BigInteger(), nullable=True),
        sa.Column('ended_by_id', sa.BigInteger(), nullable=True),
        sa.Column('ended_at', moment(), nullable=True),
        sa.Column('created_at', moment(), nullable=False),
        _cascade('press_conferences', 'brand_id', 'accounts'),
        _set_null('press_conferences', 'created_by_id', 'accounts'),
        _set_null('press_conferences', 'announcement_id', 'statuses'),
        _set_null('press_conferences', 'ended_by_id', 'accounts'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_press_conferences')))
    op.create_index(op.f('ix_press_conferences_brand_id'), 'press_conferences', ['brand_id'])
    op.create_table(
        'press_conference_groups',
        sa.Column('conference_id', sa.BigInteger(), nullable=False),
        sa.Column('group_id', sa.BigInteger(), nullable=False),
        _cascade('press_conference_groups', 'conference_id', 'press_conferences'),
        _cascade('press_conference_groups', 'group_id', 'groups'),
        sa.PrimaryKeyConstraint('conference_id', 'group_id',
                                name=op.f('pk_press_conference_groups')))
    op.create_index(op.f('ix_press_conference_groups_group_id'), 'press_conference_groups',
                    ['group_id'])
    op.create_table(
        'press_questions',
        sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('conference_id', sa.BigInteger(), nullable=False),
        sa.Column('asker_id', sa.BigInteger(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('state', sa.String(length=16), server_default='pending', nullable=False),
        sa.Column('reason', sa.Text(), server_default='', nullable=False),
        sa.Column('merged_into_id', sa.BigInteger(), nullable=True),
        sa.Column('votes', sa.Integer(), server_default='0', nullable=False),
        sa.Column('moderated_by_id', sa.BigInteger(), nullable=True),
        sa.Column('moderated_at', moment(), nullable=True),
        sa.Column('answer_text', sa.Text(), nullable=True),
        sa.Column('answer_status_id', sa.BigInteger(), nullable=True),
        sa.Column('answered_by_id', sa.BigInteger(), nullable=True),
        sa.Column('answered_at', moment(), nullable=True),
        sa.Column('created_at', moment(), nullable=False),
        _cascade('press_questions', 'conference_id', 'press_conferences'),
        _cascade('press_questions', 'asker_id', 'accounts'),
        _set_null('press_questions', 'merged_into_id', 'press_questions'),
        _set_null('press_questions', 'moderated_by_id', 'accounts'),
        _set_null('press_questions', 'answer_status_id', 'statuses'),
        _set_null('press_questions', 'answered_by_id', 'accounts'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_press_questions')))
    op.create_index(op.f('ix_press_questions_asker_id'), 'press_questions', ['asker_id'])
    op.create_index(op.f('ix_press_questions_merged_into_id'), 'press_questions',
                    ['merged_into_id'])
    op.create_index('ix_press_questions_conference_id_state', 'press_questions',
                    ['conference_id', 'state'])
    op.create_table(
        'press_question_votes',
        sa.Column('question_id', sa.BigInteger(), nullable=False),
        sa.Column('account_id', sa.BigInteger(), nullable=False),
        sa.Column('created_at', moment(), nullable=False),
        _cascade('press_question_votes', 'question_id', 'press_questions'),
        _cascade('press_question_votes', 'account_id', 'accounts'),
        sa.PrimaryKeyConstraint('question_id', 'account_id',
                                name=op.f('pk_press_question_votes')))
    op.create_index(op.f('ix_press_question_votes_account_id'), 'press_question_votes',
                    ['account_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_press_question_votes_account_id'), table_name='press_question_votes')
    op.drop_table('press_question_votes')
    op.drop_index('ix_press_questions_conference_id_state', table_name='press_questions')
    op.drop_index(op.f('ix_press_questions_merged_into_id'), table_name='press_questions')
    op.drop_index(op.f('ix_press_questions_asker_id'), table_name='press_questions')
    op.drop_table('press_questions')
    op.drop_index(op.f('ix_press_conference_groups_group_id'),
                  table_name='press_conference_groups')
    op.drop_table('press_conference_groups')
    op.drop_index(op.f('ix_press_conferences_brand_id'), table_name='press_conferences')
    op.drop_table('press_conferences')
