"""What the crisis desk sees before it sends: the title and text as they will go out, and how
many recipients the audience holds ("Send to 1,004 recipients now?").

The count is of whom `send_crisis` would write a recipient for at this moment: each person in
the groups (and the groups below them) once, if they can be reached (approved, not
deactivated), and each contact of the contact lists. Someone joining a group between the
confirmation and the send is counted by the send, not here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.roles import Actor
from zwitscher.policies.crises import require_crisis_desk
from zwitscher.services.save_crisis_template import CrisisPlan
from zwitscher.services.send_crisis import check_crisis, post_link


@dataclass(frozen=True, slots=True)
class AudienceCount:
    people: int
    contacts: int

    @property
    def total(self) -> int:
        return self.people + self.contacts


@dataclass(frozen=True, slots=True)
class CrisisPreview:
    title: str
    text: str
    audience: AudienceCount


async def count_crisis_audience(uow: UnitOfWork, *, actor: Actor, group_ids: Sequence[int],
                                contact_list_ids: Sequence[int]) -> AudienceCount:
    require_crisis_desk(actor.role)
    members = await uow.groups.member_ids(list(group_ids))
    people = await uow.accounts.reachable(members)
    contacts = await uow.contact_lists.contacts_of(list(contact_list_ids))
    return AudienceCount(people=len(people), contacts=len(contacts))


async def preview_crisis(uow: UnitOfWork, *, actor: Actor, plan: CrisisPlan,
                         values: dict[str, str],
                         template_id: int | None = None) -> CrisisPreview:
    """The crisis as `send_crisis` would send it now; its refusal if it would refuse."""
    title, text = await check_crisis(uow, actor=actor, plan=plan, values=values,
                                     template_id=template_id)
    if not plan.public:
        # The crisis's page has no address before it exists: the preview keeps the placeholder
        # (e-mails and text messages carry each recipient's own link there anyway).
        unknown = post_link(uow.settings, None, public=False)
        title, text = title.replace(unknown, "{link}"), text.replace(unknown, "{link}")
    audience = await count_crisis_audience(uow, actor=actor, group_ids=plan.group_ids,
                                           contact_list_ids=plan.contact_list_ids)
    return CrisisPreview(title=title, text=text, audience=audience)
