"""Legal holds as the administration console shows them: the cases, and one case with the
people it names, what the reader may do with it, and its access log.

The access log is the audit log's entries about the case (`target_type` "legal_hold"): who
opened, decided, read, told and closed, and when. It is not a second record that could tell
another story. The rules are `policies/legal_holds.py`'s; the other legal hold services take a
case through `hold_for` and `check_taking_part`.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound
from zwitscher.domain.roles import Actor
from zwitscher.policies.legal_holds import (
    APPROVED,
    PENDING,
    in_force,
    may_decide,
    may_read_messages,
    may_take_part,
)

TARGET = "legal_hold"
# The newest entries of a case's access log its page shows (the audit log keeps them all).
ACCESS_LOG_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Case:
    hold: sa.Row
    # The accounts the case names (the person, who opened, decided and closed it), by id.
    people: dict[int, sa.Row]
    access_log: list[sa.Row]  # newest first
    in_force: bool
    may_decide: bool
    may_read: bool
    may_close: bool
    may_tell: bool


async def hold_for(uow: UnitOfWork, *, actor: Actor, hold_id: int) -> tuple[sa.Row, str | None]:
    """The case and the role of its person, for owners and admins; the rest are refused."""
    if not actor.administers:
        raise Forbidden("Only owners and admins handle legal holds")
    hold = await uow.legal_holds.get(hold_id)
    if hold is None:
        raise NotFound()
    return hold, await person_role(uow, hold.account_id)


async def person_role(uow: UnitOfWork, account_id: int | None) -> str | None:
    user = await uow.accounts.user_for_account(account_id) if account_id is not None else None
    return user.role if user is not None else None


def check_taking_part(actor: Actor, account_id: int | None, role: str | None) -> None:
    if may_take_part(actor, account_id, role):
        return
    if actor.account_id is not None and actor.account_id == account_id:
        raise Forbidden("Nobody takes part in a legal hold on their own account")
    if not actor.administers or actor.account_id is None:
        raise Forbidden("Only owners and admins handle legal holds")
    raise Forbidden("Only owners handle a legal hold on an owner")


async def list_legal_holds(uow: UnitOfWork, *, actor: Actor, page: Page
                           ) -> tuple[list[sa.Row], dict[int, sa.Row]]:
    """The cases, newest first, and the accounts they are about."""
    if not actor.administers:
        raise Forbidden("Only owners and admins handle legal holds")
    holds = await uow.legal_holds.page(page)
    people = await uow.accounts.get_many({hold.account_id for hold in holds} - {None})
    return holds, people


async def legal_hold_case(uow: UnitOfWork, *, actor: Actor, hold_id: int) -> Case:
    hold, role = await hold_for(uow, actor=actor, hold_id=hold_id)
    people = await uow.accounts.get_many(
        {hold.account_id, hold.opened_by_id, hold.decided_by_id, hold.closed_by_id} - {None})
    access_log = await uow.audit.page(Page(limit=ACCESS_LOG_LIMIT), target_type=TARGET,
                                      target_id=hold.id)
    now = utcnow()
    taking_part = may_take_part(actor, hold.account_id, role)
    return Case(hold=hold, people=people, access_log=access_log, in_force=in_force(hold, now),
                may_decide=may_decide(actor, hold, role),
                may_read=may_read_messages(actor, hold, now),
                may_close=taking_part and hold.state in (PENDING, APPROVED),
                may_tell=taking_part and in_force(hold, now) and hold.person_told_at is None)
