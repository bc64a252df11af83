"""What the press desk reads: the accreditation requests waiting for a decision (oldest first),
and every accreditation decided (newest first), each with its press groups, who decided, and
the journalist's account (the one made or added; for a waiting request, the account that has
the address already, so the desk sees an approval would add to it). Unconfirmed requests are
nobody's business yet and never shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.policies.press import APPROVED, DECIDED, PENDING, REJECTED, UNCONFIRMED
from zwitscher.services.invite_journalist import check_press_desk


@dataclass(frozen=True, slots=True)
class Accreditation:
    row: sa.Row
    # `groups` rows with `requested` and `granted`.
    groups: list[sa.Row]
    account: sa.Row | None
    account_role: str | None
    decided_by: sa.Row | None


async def accreditation_queue(uow: UnitOfWork, *, actor: Actor,
                              limit: int) -> list[Accreditation]:
    check_press_desk(actor)
    return await _described(uow, await uow.press_accreditations.queue(limit=limit))


async def list_accreditations(uow: UnitOfWork, *, actor: Actor, page: Page,
                              state: str | None = None) -> list[Accreditation]:
    """`state`: pending, approved, rejected or `decided` (either); None: all of them."""
    check_press_desk(actor)
    states = {None: (PENDING, APPROVED, REJECTED), DECIDED: (APPROVED, REJECTED),
              PENDING: (PENDING,), APPROVED: (APPROVED,), REJECTED: (REJECTED,)}.get(state)
    if states is None:
        raise ValidationFailed("state must be pending, approved, rejected or decided")
    return await _described(uow, await uow.press_accreditations.page(page, states=states))


async def accreditation(uow: UnitOfWork, *, actor: Actor,
                        accreditation_id: int) -> Accreditation:
    check_press_desk(actor)
    row = await uow.press_accreditations.get(accreditation_id)
    if row is None or row.state == UNCONFIRMED:
        raise NotFound()
    return (await _described(uow, [row]))[0]


async def _described(uow: UnitOfWork, rows: list[sa.Row]) -> list[Accreditation]:
    groups = await uow.press_accreditations.groups_of([row.id for row in rows])
    holders = await uow.press_accreditations.accounts_of_addresses(
        [row.email for row in rows if row.account_id is None])
    deciders = await uow.accounts.get_many({row.decided_by_id for row in rows
                                            if row.decided_by_id})
    journalists = await uow.press_accreditations.accounts_with_roles(
        [row.account_id for row in rows if row.account_id])
    described = []
    for row in rows:
        account = (journalists.get(row.account_id) if row.account_id
                   else holders.get(row.email.lower()))
        described.append(Accreditation(
            row, groups.get(row.id, []), account, account.role if account else None,
            deciders.get(row.decided_by_id) if row.decided_by_id else None))
    return described
