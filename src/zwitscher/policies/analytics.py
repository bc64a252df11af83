"""Who may read whose analytics (docs/analytics.md): an account's own; a brand account's, its
authors; a group's, its managers and the admins; the organisation's, admins and moderators.
Anything else is not found, as if the subject did not exist."""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.analytics import INSTANCE_ID, Subject
from zwitscher.domain.roles import Actor
from zwitscher.policies.brands import brands_to_post_as
from zwitscher.policies.groups import may_manage_group


async def may_read_analytics(uow: UnitOfWork, *, actor: Actor, kind: Subject,
                             subject_id: int) -> bool:
    if kind is Subject.INSTANCE:
        return subject_id == INSTANCE_ID and actor.moderates
    if kind is Subject.GROUP:
        return await uow.groups.get(subject_id) is not None \
            and await may_manage_group(uow, actor, subject_id)
    if actor.account_id is None:
        return False
    if subject_id == actor.account_id:
        return True
    return subject_id in await readable_brand_ids(uow, actor=actor)


async def readable_brand_ids(uow: UnitOfWork, *, actor: Actor) -> list[int]:
    """The brand accounts whose analytics the person may read: those they may post as."""
    if actor.account_id is None:
        return []
    return [row.id for row in await brands_to_post_as(uow, person_id=actor.account_id,
                                                      role=actor.role)]


async def readable_subjects(uow: UnitOfWork, *, actor: Actor) -> tuple[list, list, bool]:
    """What the person may read analytics of, besides their own account: the brand accounts
    they write for, the groups they manage (admins: every group), and whether the
    organisation's."""
    if actor.account_id is None:
        return [], [], False
    brands = await brands_to_post_as(uow, person_id=actor.account_id, role=actor.role)
    groups = await uow.groups.all_groups() if actor.administers \
        else await uow.groups.managed_by(actor.account_id)
    return brands, groups, actor.moderates
