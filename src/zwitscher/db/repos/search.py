"""Full-text search over statuses: one interface, each engine's own index behind it.

  SearchRepo.index_status, unindex_status  kept in the transaction that writes the status
  SearchRepo.statuses                      matching statuses the viewer may see, newest first
  _Fts5      SQLite: the FTS5 table `status_search` (rowid = status id) over the folded text
  _TsVector  PostgreSQL: `status_search.document`, the folded text as a tsvector in the status's
             language ('german' for de, 'english' for en, else 'simple') plus 'simple', so an
             exact word is found whatever a stemmer makes of it; each term is looked up with
             websearch_to_tsquery in all three configurations (any of them may match)
Both index the same folded text (`domain.search`), so a word finds the same statuses on both
engines; PostgreSQL finds other forms of a word as well ("Haus" finds "Häuser").
"""

from __future__ import annotations

from functools import reduce

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import media_attachments, polls, status_search, statuses
from zwitscher.domain.search import StatusQuery, searchable_text
from zwitscher.policies.search import findable_by
from zwitscher.policies.visibility import hidden_by_viewer, limited_for, visible_to

_CONFIG_BY_LANGUAGE = {"de": "german", "en": "english"}
_QUERY_CONFIGS = ("german", "english", "simple")


def text_search_config(language: str | None) -> str:
    """PostgreSQL's text search configuration for a status language ("de-AT" is German)."""
    base = (language or "").replace("_", "-").split("-")[0].lower()
    return _CONFIG_BY_LANGUAGE.get(base, "simple")


def _regconfig(name: str) -> sa.ColumnElement:
    # Names come from the constants above only, never from a request.
    return sa.literal_column(f"'{name}'::regconfig")


def tsvector_document(text: sa.ColumnElement | str, config: str) -> sa.ColumnElement:
    """The indexed form of folded `text` on PostgreSQL (used by the migration's backfill too)."""
    exact = sa.func.to_tsvector(_regconfig("simple"), text)
    if config == "simple":
        return exact
    return sa.func.to_tsvector(_regconfig(config), text).op("||")(exact)


class _Fts5:
    table = sa.table("status_search", sa.column("rowid"), sa.column("document"))

    def insert(self, status_id: int, text: str, language: str | None) -> sa.Executable:
        return self.table.insert().values(rowid=status_id, document=text)

    def delete(self, status_id: int) -> sa.Executable:
        return self.table.delete().where(self.table.c.rowid == status_id)

    def delete_many(self, status_ids: list[int]) -> sa.Executable:
        return self.table.delete().where(self.table.c.rowid.in_(status_ids))

    def matching(self, terms: tuple[str, ...], *, every: bool) -> sa.Select:
        # Each term becomes an FTS5 string, so nothing in it is syntax (NEAR, *, :, ^, ...).
        quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
        expression = (" " if every else " OR ").join(quoted)
        return sa.select(self.table.c.rowid).where(
            sa.literal_column("status_search").op("MATCH")(expression))


class _TsVector:
    def insert(self, status_id: int, text: str, language: str | None) -> sa.Executable:
        return status_search.insert().values(
            status_id=status_id, document=tsvector_document(sa.literal(text),
                                                            text_search_config(language)))

    def delete(self, status_id: int) -> sa.Executable:
        return status_search.delete().where(status_search.c.status_id == status_id)

    def delete_many(self, status_ids: list[int]) -> sa.Executable:
        return status_search.delete().where(status_search.c.status_id.in_(status_ids))

    def matching(self, terms: tuple[str, ...], *, every: bool) -> sa.Select:
        def tsquery(term: str) -> sa.ColumnElement:
            # Quoted, websearch_to_tsquery reads the term as a phrase: "or" and "-" in it are
            # words, not operators. It never fails on what it cannot parse.
            return reduce(lambda a, b: a.op("||")(b), [
                sa.func.websearch_to_tsquery(_regconfig(config), f'"{term}"')
                for config in _QUERY_CONFIGS])

        found = [status_search.c.document.op("@@")(tsquery(term)) for term in terms]
        return sa.select(status_search.c.status_id).where(
            sa.and_(*found) if every else sa.or_(*found))


class SearchRepo(Repo):
    def __init__(self, conn: AsyncConnection) -> None:
        super().__init__(conn)
        self.index = _Fts5() if conn.dialect.name == "sqlite" else _TsVector()

    async def index_status(self, status: sa.Row) -> None:
        """Index a new status (with its poll and images, attached before), or index an edited
        one again. A reblog has no text of its own."""
        await self.unindex_status(status.id)
        if status.reblog_of_id is None:
            poll_options = await self.scalar(sa.select(polls.c.options).where(
                polls.c.status_id == status.id))
            descriptions = await self.scalars(sa.select(media_attachments.c.description).where(
                media_attachments.c.status_id == status.id).order_by(media_attachments.c.position))
            text = searchable_text(text=status.text, spoiler_text=status.spoiler_text,
                                   poll_options=poll_options or (),
                                   media_descriptions=descriptions)
            await self.conn.execute(self.index.insert(status.id, text, status.language))

    async def unindex_status(self, status_id: int) -> None:
        await self.conn.execute(self.index.delete(status_id))

    async def unindex_statuses(self, status_ids: list[int]) -> None:
        if status_ids:
            await self.conn.execute(self.index.delete_many(status_ids))

    async def statuses(self, query: StatusQuery, *, viewer_id: int, page: Page,
                       author_id: int | None = None) -> list[sa.Row]:
        """Statuses matching `query` that the viewer may see, has not hidden (blocked or
        muted authors) and may find (`findable_by`), newest first."""
        select = statuses.select().where(statuses.c.reblog_of_id.is_(None),
                                         visible_to(viewer_id), ~hidden_by_viewer(viewer_id),
                                         ~limited_for(viewer_id, statuses.c.account_id),
                                         findable_by(viewer_id))
        if author_id is not None:
            select = select.where(statuses.c.account_id == author_id)
        if query.terms:
            select = select.where(statuses.c.id.in_(self.index.matching(query.terms,
                                                                        every=True)))
        if query.excluded:
            select = select.where(statuses.c.id.not_in(self.index.matching(query.excluded,
                                                                           every=False)))
        return newest_first(await self.all(apply_page(select, statuses.c.id, page)), page)

