"""images and polls in edit history, uploads reserved by scheduled statuses and brand drafts;
statuses with polls or image descriptions indexed again for search

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 10:00:00
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from zwitscher.db.repos.search import text_search_config, tsvector_document
from zwitscher.domain.search import searchable_text

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

BATCH = 1000
_statuses = sa.table('statuses', sa.column('id'), sa.column('text'), sa.column('spoiler_text'),
                     sa.column('language'), sa.column('reblog_of_id'))
_polls = sa.table('polls', sa.column('status_id'), sa.column('options', sa.JSON))
_media = sa.table('media_attachments', sa.column('status_id'), sa.column('description'),
                  sa.column('position'))


def upgrade() -> None:
    with op.batch_alter_table('status_edits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('media', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('poll_options', sa.JSON(), nullable=True))
    with op.batch_alter_table('media_attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scheduled_status_id', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('brand_draft_id', sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f('ix_media_attachments_scheduled_status_id'),
                              ['scheduled_status_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_media_attachments_brand_draft_id'),
                              ['brand_draft_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_media_attachments_scheduled_status_id_scheduled_statuses'),
            'scheduled_statuses', ['scheduled_status_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(
            batch_op.f('fk_media_attachments_brand_draft_id_brand_drafts'),
            'brand_drafts', ['brand_draft_id'], ['id'], ondelete='SET NULL')
    _reindex_polls_and_descriptions()


def _reindex_polls_and_descriptions() -> None:
    """Search finds statuses by their poll options and image descriptions now: index again
    those that have either, in batches by id."""
    bind = op.get_bind()
    sqlite = bind.dialect.name == 'sqlite'
    fts = sa.table('status_search', sa.column('rowid'), sa.column('document'))
    tsvectors = sa.table('status_search', sa.column('status_id'), sa.column('document'))
    with_extras = sa.or_(
        _statuses.c.id.in_(sa.select(_polls.c.status_id)),
        _statuses.c.id.in_(sa.select(_media.c.status_id).where(_media.c.description != '')))
    last_id = 0
    while True:
        rows = bind.execute(sa.select(_statuses).where(
            _statuses.c.id > last_id, _statuses.c.reblog_of_id.is_(None), with_extras)
            .order_by(_statuses.c.id).limit(BATCH)).all()
        if not rows:
            return
        last_id = rows[-1].id
        ids = [row.id for row in rows]
        options = dict(bind.execute(sa.select(_polls.c.status_id, _polls.c.options)
                                    .where(_polls.c.status_id.in_(ids))).all())
        descriptions = defaultdict(list)
        for status_id, description in bind.execute(
                sa.select(_media.c.status_id, _media.c.description)
                .where(_media.c.status_id.in_(ids)).order_by(_media.c.position)):
            descriptions[status_id].append(description)
        documents = [(row, searchable_text(text=row.text, spoiler_text=row.spoiler_text,
                                           poll_options=options.get(row.id) or (),
                                           media_descriptions=descriptions[row.id]))
                     for row in rows]
        if sqlite:
            bind.execute(fts.delete().where(fts.c.rowid.in_(ids)))
            bind.execute(fts.insert(), [{'rowid': row.id, 'document': text}
                                        for row, text in documents])
            continue
        bind.execute(tsvectors.delete().where(tsvectors.c.status_id.in_(ids)))
        by_config = defaultdict(list)
        for row, text in documents:
            by_config[text_search_config(row.language)].append({'id': row.id, 'text': text})
        for config, values in by_config.items():
            bind.execute(tsvectors.insert().values(
                status_id=sa.bindparam('id'),
                document=tsvector_document(sa.bindparam('text'), config)), values)


def downgrade() -> None:
    with op.batch_alter_table('media_attachments', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_media_attachments_brand_draft_id_brand_drafts'), type_='foreignkey')
        batch_op.drop_constraint(
            batch_op.f('fk_media_attachments_scheduled_status_id_scheduled_statuses'),
            type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_media_attachments_brand_draft_id'))
        batch_op.drop_index(batch_op.f('ix_media_attachments_scheduled_status_id'))
        batch_op.drop_column('brand_draft_id')
        batch_op.drop_column('scheduled_status_id')
    with op.batch_alter_table('status_edits', schema=None) as batch_op:
        batch_op.drop_column('poll_options')
        batch_op.drop_column('media')
