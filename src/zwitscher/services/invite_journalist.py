"""The press desk (communicators, admins, owners) invites a journalist into a press group by
e-mail: a guest account at once, in the group, and an e-mail from the inviter about the press
room with the link to choose a password (`admit_journalist`). The invitation is kept as an
accreditation decided at once, so the press desk's list of journalists has everyone, and the
audit log says who invited whom into what.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound, TooManyAttempts
from zwitscher.domain.roles import Actor
from zwitscher.policies.press import APPROVED, FROM_INVITATION, works_press_desk
from zwitscher.services.admit_journalist import (
    Admitted,
    Journalist,
    admit_journalist,
    checked_journalist,
    press_groups_named,
)
from zwitscher.services.invite_person import INVITATIONS_PER_INVITER
from zwitscher.services.record_audit import record_audit

TARGET = "press_accreditation"


@dataclass(frozen=True, slots=True)
class JournalistInvitation:
    journalist: Journalist
    group_id: int


def check_press_desk(actor: Actor) -> None:
    if not works_press_desk(actor):
        raise Forbidden("Only communicators and admins work the press desk")


async def invite_journalist(uow: UnitOfWork, *, actor: Actor,
                            invitation: JournalistInvitation) -> Admitted:
    check_press_desk(actor)
    if await uow.groups.get(invitation.group_id) is None:
        raise NotFound()
    groups = await press_groups_named(uow, [invitation.group_id])
    # One count with every other invitation of the inviter's.
    if not await uow.throttle.allow(INVITATIONS_PER_INVITER, "invite:actor",
                                    str(actor.account_id)):
        raise TooManyAttempts()
    journalist = checked_journalist(invitation.journalist)
    inviting = await uow.accounts.user_for_account(actor.account_id)
    now = utcnow()
    accreditation_id = await uow.press_accreditations.add(
        source=FROM_INVITATION, state=APPROVED, email=journalist.email, name=journalist.name,
        outlet=journalist.outlet, position=journalist.position, work_url=journalist.work_url,
        language=inviting.locale if inviting else "en", created_at=now,
        decided_by_id=actor.account_id, decided_at=now)
    await uow.press_accreditations.add_groups(accreditation_id, [g.id for g in groups],
                                              granted=True)
    admitted = await admit_journalist(uow, actor=actor, journalist=journalist, groups=groups,
                                      language=inviting.locale if inviting else "en",
                                      message="press_invitation")
    await uow.press_accreditations.update(accreditation_id, account_id=admitted.account_id)
    await record_audit(uow, actor=actor, action="press.journalist_invited", target_type=TARGET,
                       target_id=accreditation_id, account_id=str(admitted.account_id),
                       username=admitted.username, new_account=admitted.new_account,
                       group_ids=[str(g.id) for g in groups])
    return replace(admitted, accreditation_id=accreditation_id)
