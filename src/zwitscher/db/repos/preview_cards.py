"""Link preview cards, one per page URL, and which status shows which."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.repos.base import Repo
from zwitscher.db.schema import preview_cards, status_preview_cards
from zwitscher.domain.ids import new_id


class PreviewCardsRepo(Repo):
    async def for_link(self, url: str) -> sa.Row | None:
        """The card of the page `url` is, or led to when a status last linked it."""
        found = await self.one(preview_cards.select().where(preview_cards.c.url == url))
        if found is not None:
            return found
        return await self.one(
            preview_cards.select()
            .where(preview_cards.c.id == sa.select(status_preview_cards.c.preview_card_id)
                   .where(status_preview_cards.c.url == url)
                   .order_by(status_preview_cards.c.status_id.desc()).limit(1)
                   .scalar_subquery()))

    async def save(self, *, url: str, fetched_at: datetime, **values) -> tuple[int, str | None]:
        """Store the card of `url`, new or fetched again; returns its id and the key of the
        image it had before, if another (the caller deletes that file)."""
        inserted = await self.insert_ignoring_conflicts(preview_cards, [dict(
            id=new_id(), url=url, fetched_at=fetched_at, created_at=fetched_at, **values)])
        card = await self.one(sa.select(preview_cards.c.id, preview_cards.c.image_key)
                              .where(preview_cards.c.url == url))
        if inserted:
            return card.id, None
        await self.conn.execute(preview_cards.update().where(preview_cards.c.id == card.id)
                                .values(fetched_at=fetched_at, **values))
        replaced = card.image_key if card.image_key != values.get("image_key") else None
        return card.id, replaced

    async def attach(self, *, status_id: int, card_id: int, url: str) -> None:
        await self.detach(status_id)
        await self.conn.execute(status_preview_cards.insert().values(
            status_id=status_id, preview_card_id=card_id, url=url))

    async def detach(self, status_id: int) -> None:
        await self.conn.execute(status_preview_cards.delete()
                                .where(status_preview_cards.c.status_id == status_id))

    async def link_of(self, status_id: int) -> sa.Row | None:
        """(url, preview_card_id) of the card a status shows."""
        return await self.one(status_preview_cards.select()
                              .where(status_preview_cards.c.status_id == status_id))

    async def of_statuses(self, status_ids: Collection[int]) -> dict[int, sa.Row]:
        """The cards of a page of statuses in one round trip, by status id, each with the
        link it was found by (`link_url`)."""
        if not status_ids:
            return {}
        rows = await self.all(
            sa.select(status_preview_cards.c.status_id,
                      status_preview_cards.c.url.label("link_url"), preview_cards)
            .select_from(status_preview_cards.join(
                preview_cards, preview_cards.c.id == status_preview_cards.c.preview_card_id))
            .where(self.among(status_preview_cards.c.status_id, status_ids)))
        return {row.status_id: row for row in rows}

    async def get_many(self, card_ids: Collection[int]) -> dict[int, sa.Row]:
        if not card_ids:
            return {}
        rows = await self.all(preview_cards.select()
                              .where(self.among(preview_cards.c.id, card_ids)))
        return {row.id: row for row in rows}
