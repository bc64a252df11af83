"""full-text search over statuses: FTS5 on SQLite, tsvector + GIN on PostgreSQL; backfilled

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 10:00:00
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from zwitscher.db.repos.search import text_search_config, tsvector_document
from zwitscher.domain.search import searchable_text

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

BATCH = 1000
_statuses = sa.table('statuses', sa.column('id'), sa.column('text'), sa.column('spoiler_text'),
                     sa.column('language'), sa.column('reblog_of_id'))


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        op.execute("CREATE VIRTUAL TABLE status_search USING fts5("
                   "document, tokenize = 'unicode61 remove_diacritics 2')")
    else:
        op.create_table('status_search',
        sa.Column('status_id', sa.BigInteger(), nullable=False),
        sa.Column('document', postgresql.TSVECTOR(), nullable=False),
        sa.ForeignKeyConstraint(['status_id'], ['statuses.id'], name=op.f('fk_status_search_status_id_statuses'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('status_id', name=op.f('pk_status_search'))
        )
        op.create_index('ix_status_search_document', 'status_search', ['document'], unique=False, postgresql_using='gin')
    _backfill(sqlite)


def _backfill(sqlite: bool) -> None:
    """Index every status written before search existed, in batches by id."""
    bind = op.get_bind()
    fts = sa.table('status_search', sa.column('rowid'), sa.column('document'))
    tsvectors = sa.table('status_search', sa.column('status_id'), sa.column('document'))
    last_id = 0
    while True:
        rows = bind.execute(sa.select(_statuses).where(
            _statuses.c.id > last_id, _statuses.c.reblog_of_id.is_(None))
            .order_by(_statuses.c.id).limit(BATCH)).all()
        if not rows:
            return
        last_id = rows[-1].id
        documents = [(row, searchable_text(text=row.text, spoiler_text=row.spoiler_text))
                     for row in rows]
        if sqlite:
            bind.execute(fts.insert(), [{'rowid': row.id, 'document': text}
                                        for row, text in documents])
            continue
        by_config = defaultdict(list)
        for row, text in documents:
            by_config[text_search_config(row.language)].append({'id': row.id, 'text': text})
        for config, values in by_config.items():
            bind.execute(tsvectors.insert().values(
                status_id=sa.bindparam('id'),
                document=tsvector_document(sa.bindparam('text'), config)), values)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('DROP TABLE status_search')
    else:
        op.drop_index('ix_status_search_document', table_name='status_search', postgresql_using='gin')
        op.drop_table('status_search')
