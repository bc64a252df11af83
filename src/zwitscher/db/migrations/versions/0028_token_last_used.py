"""when a directory (SCIM) token was last used

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 02:10:00
"""

import sqlalchemy as sa
from alembic import op

import zwitscher.db.schema

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('oauth_tokens', sa.Column('last_used_at', zwitscher.db.schema.UTCDateTime(),
                                            nullable=True))


def downgrade() -> None:
    op.drop_column('oauth_tokens', 'last_used_at')
