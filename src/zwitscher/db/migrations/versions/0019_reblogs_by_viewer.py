"""reblogs by viewer: statuses indexed by (reblog_of_id, account_id)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 22:40:00

Whether a viewer boosted a status is asked for every status of every page. With an index on
`reblog_of_id` alone, SQLite chose `(account_id, id)` and read all the viewer's own statuses
for each row (a brand account with thousands of posts, thousands of rows per status shown);
with both columns in one index it is one lookup. It also serves every other use of the old
index, which it replaces.
"""

from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_statuses_reblog_of_id_account_id', 'statuses',
                    ['reblog_of_id', 'account_id'])
    op.drop_index('ix_statuses_reblog_of_id', table_name='statuses')


def downgrade() -> None:
    op.create_index('ix_statuses_reblog_of_id', 'statuses', ['reblog_of_id'])
    op.drop_index('ix_statuses_reblog_of_id_account_id', table_name='statuses')
