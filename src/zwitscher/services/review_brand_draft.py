"""Approve or reject a brand draft. Another author of the brand whose own posts need no
approval, or an admin, decides; nobody approves their own draft. Approved drafts are published
at once, or at their scheduled time by the job system. Either way the author is told: a
notification from the brand, and an e-mail that carries the reviewer's comment."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound, ValidationFailed
from zwitscher.domain.roles import SPEAKERS, Actor
from zwitscher.services.notify import DRAFT_APPROVED, DRAFT_REJECTED, notify
from zwitscher.services.post_as_brand import draft_from, schedule
from zwitscher.services.post_status import post_status
from zwitscher.services.queue_mail import queue_mail
from zwitscher.services.record_audit import record_audit

MAX_NOTE = 1000
# The approval queue shows this many drafts, the oldest first (a queue is worked from its
# front; more than this waiting is a problem no page solves).
QUEUE_LIMIT = 100


async def drafts_to_review(uow: UnitOfWork, *, actor: Actor) -> list[sa.Row]:
    """The pending drafts `actor` may decide: of every brand for admins, else of the brands
    they write for without approval (their own drafts included: the page says why not)."""
    if actor.administers:
        return await uow.brands.pending_drafts(None, limit=QUEUE_LIMIT)
    brand_ids = await reviewed_brands(uow, actor=actor)
    if not brand_ids:
        raise Forbidden("Only the brand's other authors and admins review its drafts")
    return await uow.brands.pending_drafts(brand_ids, limit=QUEUE_LIMIT)


async def reviewed_brands(uow: UnitOfWork, *, actor: Actor) -> list[int]:
    if actor.account_id is None or actor.role not in SPEAKERS:
        return []
    return [grant.id for grant in await uow.brands.brands_of(actor.account_id)
            if not grant.needs_approval]


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
    decided = await uow.brands.draft(draft.id)
    await _tell_author(uow, draft=decided, approved=True)
    return decided


async def reject_brand_draft(uow: UnitOfWork, *, actor: Actor, brand_id: int, draft_id: int,
                             note: str = "") -> sa.Row:
    if len(note) > MAX_NOTE:
        raise ValidationFailed("Note is too long (maximum is 1000 characters)")
    draft = await _reviewable(uow, actor, brand_id, draft_id)
    if not await uow.brands.decide(draft.id, from_state="pending", state="rejected",
                                   reviewer_id=actor.account_id, review_note=note,
                                   decided_at=utcnow()):
        raise ValidationFailed("This draft has been decided already")
    await uow.media.release_draft(draft.id)  # free to be posted otherwise, or cleaned away
    await record_audit(uow, actor=actor, action="brand.draft_rejected", target_type="account",
                       target_id=brand_id, draft_id=str(draft.id))
    decided = await uow.brands.draft(draft.id)
    await _tell_author(uow, draft=decided, approved=False)
    return decided


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
    if not actor.administers and brand_id not in await reviewed_brands(uow, actor=actor):
        raise Forbidden("Only the brand's other authors and admins review its drafts")
    if draft.state != "pending":
        raise ValidationFailed("This draft has been decided already")
    return draft


async def _tell_author(uow: UnitOfWork, *, draft: sa.Row, approved: bool) -> None:
    """A notification from the brand (without the post: the author may not be allowed to
    see what the brand posts to its followers), and an e-mail with the reviewer's comment,
    which notifications have no place for."""
    await notify(uow, recipient_id=draft.author_id, actor_id=draft.brand_id,
                 type=DRAFT_APPROVED if approved else DRAFT_REJECTED)
    author = await uow.accounts.get(draft.author_id)
    user = await uow.accounts.user_for_account(draft.author_id)
    brand = await uow.accounts.get(draft.brand_id)
    if author is None or user is None or not user.email or brand is None:
        return
    await queue_mail(uow, kind="brand_draft_decided", to=user.email,
                     name=author.display_name or author.username, language=user.locale,
                     brand=brand.display_name or brand.username,
                     approved=approved, scheduled=draft.state == "scheduled",
                     note=draft.review_note, text=draft.params.get("text", "")[:500],
                     path=f"/@{brand.username}")
