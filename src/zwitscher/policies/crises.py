"""Who runs crisis broadcasts, and who reads what of a crisis.

- The **crisis desk** is the people who speak for the organisation (communicators, admins,
  owners): they keep templates and contact lists, send crises, read the dashboard (which
  names every recipient and their answer), re-send, post updates, close a crisis and switch
  the dark site. A crisis is posted by a brand account the sender may post as without
  approval, or by the sender themselves: there is no time to wait for a review.
- A **recipient** reads the crisis they are in the audience of and answers it; the banner
  shows them each open crisis until it is closed.
- The **public** reads only what the crisis desk posted as public updates, on the dark site.
"""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden
from zwitscher.domain.roles import SPEAKERS, parse_role
from zwitscher.policies.brands import brand_grant


def works_crisis_desk(role: str | None) -> bool:
    return parse_role(role) in SPEAKERS


def require_crisis_desk(role: str | None) -> None:
    if not works_crisis_desk(role):
        raise Forbidden("Only communicators and admins run crisis broadcasts")


async def check_sending_account(uow: UnitOfWork, *, person_id: int, role: str | None,
                                account_id: int) -> None:
    """The account a crisis is posted by: the sender, or a brand they post as unreviewed."""
    if account_id == person_id:
        return
    grant = await brand_grant(uow, person_id=person_id, role=role, brand_id=account_id)
    if grant.needs_approval:
        raise Forbidden("Your posts for this account need approval: a crisis cannot wait "
                        "for it; send it from another account")
