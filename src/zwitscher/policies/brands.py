"""Who may post as a brand account: communicators, admins and owners it was granted to."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, NotFound
from zwitscher.domain.roles import SPEAKERS, parse_role


async def brand_grant(uow: UnitOfWork, *, person_id: int, role: str | None,
                      brand_id: int) -> sa.Row:
    """The person's grant for the brand; 404 for what is no brand, 403 without a grant."""
    brand = await uow.accounts.get(brand_id)
    if brand is None or brand.kind != "brand":
        raise NotFound("No such brand account")
    grant = await uow.brands.grant_of(brand_id=brand_id, author_id=person_id)
    if grant is None or parse_role(role) not in SPEAKERS:
        raise Forbidden("You may not post as this account")
    return grant


async def brands_to_post_as(uow: UnitOfWork, *, person_id: int, role: str | None
                            ) -> list[sa.Row]:
    """The brand accounts the person may post as (each with `needs_approval`): those granted
    to them while their role speaks for the organisation (as `brand_grant` checks)."""
    if parse_role(role) not in SPEAKERS:
        return []
    return await uow.brands.brands_of(person_id)
