"""Which parts of the administration console a person may use. The services check every action
again; this decides what the console shows and which pages answer 403 before anything runs.

- owners and admins: every part (legal holds only ever to them);
- moderators: the reports queue; a group's moderators: the reports about its members;
- managers of a group: the groups they manage (and everything below them);
- communicators whose own posts for a brand need no approval: that brand's approval queue
  (someone who lost the role keeps no review rights, whatever grants remain);
- communicators: the press accreditation (journalists' requests and invitations).
"""

from __future__ import annotations

from enum import StrEnum

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.roles import MODERATORS, SPEAKERS, Actor, parse_role


class Section(StrEnum):
    PEOPLE = "people"
    GROUPS = "groups"
    DIRECTORY = "directory"
    BRANDS = "brands"
    DRAFTS = "drafts"
    REPORTS = "reports"
    ANNOUNCEMENTS = "announcements"
    EMOJIS = "emojis"
    INSTANCE = "instance"
    AUDIT = "audit"
    LEGAL_HOLDS = "legal-holds"
    PRESS_ACCREDITATION = "press-accreditation"


async def console_sections(uow: UnitOfWork, actor: Actor) -> list[Section]:
    """The parts of the console open to `actor`, in the order the console lists them."""
    if actor.administers:
        return list(Section)
    if actor.account_id is None:
        return []
    sections = []
    if await uow.groups.manages_any(actor.account_id):
        sections.append(Section.GROUPS)
    if actor.role in SPEAKERS and await uow.brands.reviews_any(actor.account_id):
        sections.append(Section.DRAFTS)
    if actor.moderates or await uow.groups.moderates_any(actor.account_id):
        sections.append(Section.REPORTS)
    if actor.role in SPEAKERS:
        sections.append(Section.PRESS_ACCREDITATION)
    return sections


async def opens_console(uow: UnitOfWork, *, account_id: int, role: str | None) -> bool:
    """Whether the navigation offers the console: `console_sections` is not empty (asked on
    every page, so without building an actor)."""
    if parse_role(role) in MODERATORS | SPEAKERS:
        return True
    return (await uow.groups.manages_any(account_id)
            or await uow.groups.moderates_any(account_id))
