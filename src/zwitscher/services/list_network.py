"""Whom an account follows and who follows it, as the reader may see them (Mastodon's followers
and following collections, `GET /api/v1/accounts/:id/followers|following` and the web
profile's lists), and which of an account's followers the reader follows too (familiar
followers).

As in Mastodon: the owner always sees both lists whole. Anyone else sees none when the account
hides its network (`hide_collections`) or blocks them, and a signed-in reader's lists leave
out the accounts the reader hides (blocked either way, muted, on a blocked domain).
"""

from __future__ import annotations

from typing import Literal

import sqlalchemy as sa

from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork

Network = Literal["followers", "following"]
NETWORKS: tuple[Network, ...] = ("followers", "following")


async def networks_hidden(uow: UnitOfWork, *, accounts: list[sa.Row],
                          viewer_id: int | None) -> set[int]:
    """Those of the accounts whose lists the reader does not see (one statement at most)."""
    others = [a for a in accounts if a.id != viewer_id]
    hidden = {a.id for a in others if a.hide_collections}
    if viewer_id is not None:
        hidden |= await uow.relationships.blocking_among(
            [a.id for a in others if a.id not in hidden], viewer_id)
    return hidden


async def list_network(uow: UnitOfWork, *, account: sa.Row, which: Network,
                       viewer_id: int | None, page: Page) -> list[tuple[int, sa.Row]] | None:
    """A page of (follow id, account), newest follow first; None if the reader may not see
    the list (the API answers an empty one, as Mastodon's)."""
    if await networks_hidden(uow, accounts=[account], viewer_id=viewer_id):
        return None
    lister = uow.relationships.followers if which == "followers" else (
        uow.relationships.following)
    return await lister(account.id, page,
                        hidden_for=None if viewer_id == account.id else viewer_id)


async def familiar_followers(uow: UnitOfWork, *, viewer_id: int, account_ids: list[int]
                             ) -> list[tuple[int, list[sa.Row]]]:
    """For each known account (in the order asked), its followers whom the viewer follows,
    none of them hiding their own network; an account whose network the viewer may not see
    has none."""
    known = await uow.accounts.get_many(account_ids)
    targets = [known[i] for i in account_ids if i in known]
    hidden = await networks_hidden(uow, accounts=targets, viewer_id=viewer_id)
    found = await uow.relationships.familiar_followers(
        viewer_id, [t.id for t in targets if t.id not in hidden])
    return [(t.id, found.get(t.id, [])) for t in targets]
