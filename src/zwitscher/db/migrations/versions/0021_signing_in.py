"""signing in: single sign-on identities and attempts, second factors, known browsers, how a browser signed in

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 07:45:00
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sign_in_attempts',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('state_hash', sa.String(length=64), nullable=False),
    sa.Column('browser_hash', sa.String(length=64), nullable=False),
    sa.Column('nonce', sa.String(length=100), nullable=False),
    sa.Column('code_verifier', sa.String(length=100), nullable=False),
    sa.Column('next_path', sa.String(length=2000), server_default='/web/home', nullable=False),
    sa.Column('expires_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_attempts')),
    sa.UniqueConstraint('state_hash', name=op.f('uq_sign_in_attempts_state_hash'))
    )
    with op.batch_alter_table('sign_in_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_attempts_expires_at'), ['expires_at'], unique=False)

    op.create_table('known_browsers',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('browser_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_known_browsers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_known_browsers')),
    sa.UniqueConstraint('user_id', 'browser_hash', name=op.f('uq_known_browsers_user_id_browser_hash'))
    )
    op.create_table('pending_sign_ins',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('browser_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('next_path', sa.String(length=2000), server_default='/web/home', nullable=False),
    sa.Column('first_step', sa.String(length=16), server_default='password', nullable=False),
    sa.Column('failures', sa.Integer(), server_default='0', nullable=False),
    sa.Column('expires_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pending_sign_ins_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_sign_ins')),
    sa.UniqueConstraint('browser_hash', name=op.f('uq_pending_sign_ins_browser_hash'))
    )
    with op.batch_alter_table('pending_sign_ins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_sign_ins_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_sign_ins_user_id'), ['user_id'], unique=False)

    op.create_table('recovery_codes',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_recovery_codes_code_hash'))
    )
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_codes_user_id'), ['user_id'], unique=False)

    op.create_table('user_identities',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('issuer', sa.String(length=500), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.Column('last_used_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_identities_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_identities')),
    sa.UniqueConstraint('issuer', 'subject', name=op.f('uq_user_identities_issuer_subject'))
    )
    with op.batch_alter_table('user_identities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_identities_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('notify_new_sign_in', sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('method', sa.String(length=32), server_default='password', nullable=False))
        batch_op.add_column(sa.Column('id_token', sa.Text(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_column('id_token')
        batch_op.drop_column('method')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('notify_new_sign_in')
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_secret')

    with op.batch_alter_table('user_identities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_identities_user_id'))

    op.drop_table('user_identities')
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_codes_user_id'))

    op.drop_table('recovery_codes')
    with op.batch_alter_table('pending_sign_ins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_sign_ins_user_id'))
        batch_op.drop_index(batch_op.f('ix_pending_sign_ins_expires_at'))

    op.drop_table('pending_sign_ins')
    op.drop_table('known_browsers')
    with op.batch_alter_table('sign_in_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_attempts_expires_at'))

    op.drop_table('sign_in_attempts')
