"""What the crisis desk, a recipient and the public each read of a crisis (`policies/crises.py`
says who reads what)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound
from zwitscher.domain.roles import Actor
from zwitscher.policies.crises import require_crisis_desk

# The dashboard names this many of those not reached, those needing help first.
NAMED = 500


@dataclass(frozen=True, slots=True)
class AudiencePart:
    """A group or contact list of a crisis's audience and how far the crisis got in it."""

    kind: str  # "group" or "contact_list" (or "gone": one deleted since)
    id: int | None
    name: str
    recipients: int
    reached: int
    opened: int
    acknowledged: int
    received: int
    safe: int
    help: int
    not_reached: int


@dataclass(frozen=True, slots=True)
class CrisisDashboard:
    crisis: sa.Row
    parts: list[AudiencePart]
    total: AudiencePart
    # {channel: {state: count}}
    deliveries: dict[str, dict[str, int]]
    needing_help: list[sa.Row]
    not_reached: list[sa.Row]


async def recent_crises(uow: UnitOfWork, *, actor: Actor) -> list[sa.Row]:
    require_crisis_desk(actor.role)
    return await uow.crises.recent()


async def crisis_dashboard(uow: UnitOfWork, *, actor: Actor, crisis_id: int) -> CrisisDashboard:
    require_crisis_desk(actor.role)
    crisis = await uow.crises.get(crisis_id)
    if crisis is None:
        raise NotFound("Record not found")
    tally = await uow.crises.tally(crisis_id)
    groups = await uow.groups.get_many({row.group_id for row in tally if row.group_id})
    lists = await uow.contact_lists.get_many([row.contact_list_id for row in tally
                                              if row.contact_list_id])
    parts = [_part(row, groups, lists) for row in tally]
    deliveries: dict[str, dict[str, int]] = {}
    for row in await uow.crises.delivery_counts(crisis_id):
        deliveries.setdefault(row.channel, {})[row.state] = row.count
    return CrisisDashboard(
        crisis=crisis, parts=parts, total=_sum(parts), deliveries=deliveries,
        needing_help=await uow.crises.needing_help(crisis_id),
        not_reached=await uow.crises.not_reached(crisis_id, limit=NAMED))


async def open_crises_of(uow: UnitOfWork, *, account_id: int) -> list[sa.Row]:
    """The open crises a person is a recipient of: the banner on every page."""
    return await uow.crises.open_for(account_id)


@dataclass(frozen=True, slots=True)
class DarkSite:
    crisis: sa.Row
    # The public posts of the crisis, newest first: updates, and the first post if public.
    status_ids: list[int]


async def dark_site(uow: UnitOfWork) -> DarkSite | None:
    crisis = await uow.crises.on_dark_site()
    if crisis is None:
        return None
    ids = await uow.crises.update_ids(crisis.id, public_only=True)
    if crisis.public and crisis.status_id is not None:
        ids.append(crisis.status_id)
    return DarkSite(crisis=crisis, status_ids=await _visible(uow, ids, viewer_id=None))


async def crisis_updates(uow: UnitOfWork, *, crisis_id: int,
                         viewer_id: int | None) -> list[int]:
    """The ids of a crisis's posts the reader may see, newest first (the first post last):
    through their own link without a sign-in (viewer None), the public ones only."""
    crisis = await uow.crises.get(crisis_id)
    if crisis is None:
        return []
    ids = await uow.crises.update_ids(crisis_id, public_only=False)
    return await _visible(uow, [*ids, crisis.status_id] if crisis.status_id else ids,
                          viewer_id=viewer_id)


async def _visible(uow: UnitOfWork, ids: list[int], *, viewer_id: int | None) -> list[int]:
    found = await uow.statuses.get_many_visible(ids, viewer_id)
    return [status_id for status_id in ids if status_id in found]


_COUNTS = ("recipients", "reached", "opened", "acknowledged", "received", "safe", "help",
           "not_reached")


def _part(row: sa.Row, groups: dict, lists: dict) -> AudiencePart:
    counts = {name: int(getattr(row, name) or 0) for name in _COUNTS}
    if row.group_id is not None and row.group_id in groups:
        return AudiencePart("group", row.group_id, groups[row.group_id].name, **counts)
    if row.contact_list_id is not None and row.contact_list_id in lists:
        return AudiencePart("contact_list", row.contact_list_id,
                            lists[row.contact_list_id].name, **counts)
    return AudiencePart("gone", None, "", **counts)


def _sum(parts: list[AudiencePart]) -> AudiencePart:
    return AudiencePart("total", None, "", **{name: sum(getattr(part, name) for part in parts)
                                              for name in _COUNTS})
