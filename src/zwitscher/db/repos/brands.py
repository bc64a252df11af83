"""Brand accounts (an account such as @press that no single person owns), their authors and
the drafts that wait for approval."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.pagination import Page, apply_page, newest_first
from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import accounts, brand_authors, brand_drafts
from zwitscher.domain.clock import utcnow
from zwitscher.domain.ids import new_id


class BrandsRepo(Repo):
    async def make_brand(self, account_id: int) -> None:
        await self.conn.execute(accounts.update().where(accounts.c.id == account_id)
                                .values(kind="brand"))

    async def grant(self, *, brand_id: int, author_id: int, needs_approval: bool) -> None:
        existing = await self.grant_of(brand_id=brand_id, author_id=author_id)
        if existing is None:
            await self.conn.execute(brand_authors.insert().values(
                brand_id=brand_id, author_id=author_id, needs_approval=needs_approval,
                created_at=utcnow()))
        else:
            await self.conn.execute(brand_authors.update().where(
                brand_authors.c.brand_id == brand_id, brand_authors.c.author_id == author_id)
                .values(needs_approval=needs_approval))

    async def revoke(self, *, brand_id: int, author_id: int) -> bool:
        result = await self.conn.execute(brand_authors.delete().where(
            brand_authors.c.brand_id == brand_id, brand_authors.c.author_id == author_id))
        return result.rowcount > 0

    async def grant_of(self, *, brand_id: int, author_id: int) -> sa.Row | None:
        return await self.one(brand_authors.select().where(
            brand_authors.c.brand_id == brand_id, brand_authors.c.author_id == author_id))

    async def authors(self, brand_id: int) -> list[sa.Row]:
        return await self.all(
            sa.select(accounts, brand_authors.c.needs_approval)
            .join(brand_authors, brand_authors.c.author_id == accounts.c.id)
            .where(brand_authors.c.brand_id == brand_id).order_by(accounts.c.id))

    async def brands_of(self, author_id: int) -> list[sa.Row]:
        return await self.all(
            sa.select(accounts, brand_authors.c.needs_approval)
            .join(brand_authors, brand_authors.c.brand_id == accounts.c.id)
            .where(brand_authors.c.author_id == author_id).order_by(accounts.c.username_lower))

    async def reviews_any(self, author_id: int) -> bool:
        """Whether the account writes for a brand without approval (and so reviews drafts)."""
        return await self.exists(sa.select(brand_authors.c.brand_id).where(
            brand_authors.c.author_id == author_id, brand_authors.c.needs_approval.is_(False)))

    async def all_brands(self) -> list[sa.Row]:
        return await self.all(accounts.select().where(accounts.c.kind == "brand")
                              .order_by(accounts.c.username_lower))

    async def author_counts(self) -> dict[int, tuple[int, int]]:
        """Per brand: how many authors it has, and how many of them need approval."""
        needing = sa.func.sum(sa.case((brand_authors.c.needs_approval.is_(True), 1), else_=0))
        rows = await self.all(sa.select(brand_authors.c.brand_id, sa.func.count(), needing)
                              .group_by(brand_authors.c.brand_id))
        return {brand_id: (authors, int(needs or 0)) for brand_id, authors, needs in rows}

    # Drafts.

    async def pending_drafts(self, brand_ids: list[int] | None, *, limit: int) -> list[sa.Row]:
        """Drafts waiting for a decision, of the given brands (None: of all), oldest first."""
        query = brand_drafts.select().where(brand_drafts.c.state == "pending")
        if brand_ids is not None:
            query = query.where(brand_drafts.c.brand_id.in_(brand_ids))
        return await self.all(query.order_by(brand_drafts.c.id).limit(limit))

    async def pending_counts(self) -> dict[int, int]:
        """Per brand, its drafts waiting for a decision."""
        rows = await self.all(sa.select(brand_drafts.c.brand_id, sa.func.count())
                              .where(brand_drafts.c.state == "pending")
                              .group_by(brand_drafts.c.brand_id))
        return dict(rows)

    async def add_draft(self, *, brand_id: int, author_id: int, params: dict) -> int:
        draft_id = new_id()
        await self.conn.execute(brand_drafts.insert().values(
            id=draft_id, brand_id=brand_id, author_id=author_id, params=params,
            state="pending", created_at=utcnow()))
        return draft_id

    async def draft(self, draft_id: int) -> sa.Row | None:
        return await self.one(brand_drafts.select().where(brand_drafts.c.id == draft_id))

    async def drafts(self, brand_id: int, page: Page, *, state: str | None) -> list[sa.Row]:
        query = brand_drafts.select().where(brand_drafts.c.brand_id == brand_id)
        if state:
            query = query.where(brand_drafts.c.state == state)
        return newest_first(await self.all(apply_page(query, brand_drafts.c.id, page)), page)

    async def drafts_by(self, author_id: int, page: Page) -> list[sa.Row]:
        """The drafts one person wrote, for any brand, newest first: by author only, so a
        person is never shown anyone else's."""
        query = brand_drafts.select().where(brand_drafts.c.author_id == author_id)
        return newest_first(await self.all(apply_page(query, brand_drafts.c.id, page)), page)

    async def count_pending_drafts(self, brand_ids: list[int] | None) -> int:
        """Drafts waiting for a decision, of the given brands (None: of all)."""
        query = (sa.select(sa.func.count()).select_from(brand_drafts)
                 .where(brand_drafts.c.state == "pending"))
        if brand_ids is not None:
            query = query.where(brand_drafts.c.brand_id.in_(brand_ids))
        return await self.scalar(query)

    async def decide(self, draft_id: int, *, from_state: str, **values) -> bool:
        """Move a draft on, only from the state the caller saw (two reviewers at once: one
        wins, the other is told)."""
        result = await self.conn.execute(brand_drafts.update().where(
            brand_drafts.c.id == draft_id, brand_drafts.c.state == from_state).values(**values))
        return result.rowcount > 0
