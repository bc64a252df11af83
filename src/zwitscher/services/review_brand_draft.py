"""Approve or reject a brand draft. Another author of the brand whose own posts need no
approval, or an admin, decides; nobody approves their own draft. Approved drafts are published
at once, or at their scheduled time by the job system."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.services.post_as_brand import draft_from, schedule
from zwitscher.services.post_status import post_status
from zwitscher.services.record_audit import record_audit


async def approve_brand_draft(uow: UnitOfWork, *, actor: Actor, brand_id: int,
                              draft_id: int) -> sa.Row:
    draft = await _reviewable(uow, actor, brand_id, draft_id)
    if draft.scheduled_at is not None and draft.scheduled_at > utcnow():
        await schedule(uow, draft_id=draft.id, at=draft.scheduled_at)
    else:
        await publish_draft(uow, draft=draft)
    await uow.brands.decide(draft.id, from_state=(await uow.brands.draft(draft.id)).state,
                            reviewer_id=actor.account_id, decided_at=utcnow())
    await record_audit(uow, actor=actor, action="brand.draft_approved", target_type="account",
                       target_id=brand_id, draft_id=str(draft.id))
    return await uow.brands.draft(draft.id)


async def reject_brand_draft(uow: UnitOfWork, *, actor: Actor, brand_id: int, draft_id: int,
                             note: str = "") -> sa.Row:
    if len(note) > 1000:
        raise ValidationFailed("Note is too long (maximum is 1000 characters)")
    draft = await _reviewable(uow, actor, brand_id, draft_id)
    if not await uow.brands.decide(draft.id, from_state="pending", state="rejected",
                                   reviewer_id=actor.account_id, review_note=note,
                                   decided_at=utcnow()):
        raise ValidationFailed("This draft has been decided already")
    await uow.media.release_draft(draft.id)  # free to be posted otherwise, or cleaned away
    await record_audit(uow, actor=actor, action="brand.draft_rejected", target_type="account",
                       target_id=brand_id, draft_id=str(draft.id))
    return await uow.brands.draft(draft.id)


async def publish_draft(uow: UnitOfWork, *, draft: sa.Row) -> sa.Row:
    """Post an approved draft as its brand, written by its author (also the job body for
    scheduled drafts). Its uploads go from waiting to attached."""
    await uow.media.release_draft(draft.id)
    status = await post_status(uow, author_id=draft.brand_id, posted_by_id=draft.author_id,
                               draft=draft_from(draft.params))
    if not await uow.brands.decide(draft.id, from_state=draft.state, state="published",
                                   status_id=status.id):
        raise ValidationFailed("This draft has been decided already")
    return status


async def _reviewable(uow: UnitOfWork, actor: Actor, brand_id: int, draft_id: int) -> sa.Row:
    draft = await uow.brands.draft(draft_id)
    if draft is None or draft.brand_id != brand_id:
        raise NotFound()
    if draft.author_id == actor.account_id:
        raise Forbidden("Someone else must approve your draft")
    if not actor.administers:
        grant = await uow.brands.grant_of(brand_id=brand_id, author_id=actor.account_id)
        if grant is None or grant.needs_approval:
            raise Forbidden("Only the brand's other authors and admins review its drafts")
    if draft.state != "pending":
        raise ValidationFailed("This draft has been decided already")
    return draft
