"""A person's own brand drafts ("My drafts"): what they wrote for brand accounts and what became
of it — waiting, scheduled, published or not approved, with the reviewer's comment, which
otherwise reaches them only by e-mail. Only ever the person's own: the query is by author, and
nothing here takes a draft id from outside.

The reviewer is not named, as the notification and the e-mail do not name them: the decision
is the brand's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class OwnDraft:
    id: int
    brand: sa.Row
    # pending | scheduled | published | rejected (as brand_drafts.state)
    state: str
    text: str
    spoiler_text: str
    images: int
    poll_options: tuple[str, ...]
    created_at: datetime
    decided_at: datetime | None
    scheduled_at: datetime | None
    review_note: str
    # The published post, while it exists and the person may see it (a brand's followers-only
    # post is not necessarily theirs to read).
    status_id: int | None


async def list_own_drafts(uow: UnitOfWork, *, person_id: int, page: Page) -> list[OwnDraft]:
    """The person's drafts for any brand, newest first, one page (ids page as the API's do)."""
    rows = await uow.brands.drafts_by(person_id, page)
    brands = await uow.accounts.get_many({row.brand_id for row in rows})
    published = await uow.statuses.get_many_visible(
        {row.status_id for row in rows if row.status_id is not None}, person_id)
    return [_own_draft(row, brands[row.brand_id], published)
            for row in rows if row.brand_id in brands]


def _own_draft(row: sa.Row, brand: sa.Row, published: dict[int, sa.Row]) -> OwnDraft:
    params = row.params or {}
    poll = params.get("poll") or {}
    return OwnDraft(
        id=row.id, brand=brand, state=row.state, text=params.get("text", ""),
        spoiler_text=params.get("spoiler_text") or "",
        images=len(params.get("media_ids") or ()),
        poll_options=tuple(poll.get("options") or ()),
        created_at=row.created_at, decided_at=row.decided_at, scheduled_at=row.scheduled_at,
        review_note=row.review_note or "",
        status_id=row.status_id if row.status_id in published else None)
