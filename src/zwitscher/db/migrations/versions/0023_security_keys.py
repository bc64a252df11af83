"""security keys and passkeys (WebAuthn): credentials, the challenges of ceremonies under way

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 20:30:00
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('security_keys',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('credential_id', sa.String(length=1400), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('sign_count', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.Column('last_used_at', zwitscher.db.schema.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_security_keys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_security_keys')),
    sa.UniqueConstraint('credential_id', name=op.f('uq_security_keys_credential_id'))
    )
    with op.batch_alter_table('security_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_security_keys_user_id'), ['user_id'], unique=False)

    op.create_table('webauthn_challenges',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('browser_hash', sa.String(length=64), nullable=False),
    sa.Column('challenge', sa.String(length=200), nullable=False),
    sa.Column('expires_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.Column('created_at', zwitscher.db.schema.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webauthn_challenges')),
    sa.UniqueConstraint('browser_hash', name=op.f('uq_webauthn_challenges_browser_hash'))
    )
    with op.batch_alter_table('webauthn_challenges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webauthn_challenges_expires_at'), ['expires_at'], unique=False)


def downgrade() -> None:
    op.drop_table('webauthn_challenges')
    op.drop_table('security_keys')
