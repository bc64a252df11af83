"""What waits for a person in the administration console: sign-ups to approve, reports to
handle, brand drafts to review, legal holds another admin opened that wait for a decision,
journalists' accreditation requests (each counted only where the console is open to them)."""

from __future__ import annotations

from dataclasses import dataclass

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.roles import Actor
from zwitscher.policies.press import works_press_desk
from zwitscher.services.handle_report import count_open_reports
from zwitscher.services.review_brand_draft import reviewed_brands


@dataclass(frozen=True, slots=True)
class ConsoleWork:
    sign_ups: int
    reports: int
    drafts: int
    legal_holds: int
    accreditations: int = 0


async def count_console_work(uow: UnitOfWork, *, actor: Actor) -> ConsoleWork:
    reviewed = None if actor.administers else await reviewed_brands(uow, actor=actor)
    return ConsoleWork(
        sign_ups=await uow.accounts.count_awaiting_approval() if actor.administers else 0,
        reports=await count_open_reports(uow, actor=actor),
        drafts=await uow.brands.count_pending_drafts(reviewed) if reviewed != [] else 0,
        legal_holds=await uow.legal_holds.count_pending(except_opened_by=actor.account_id)
        if actor.administers else 0,
        accreditations=await uow.press_accreditations.count_pending()
        if works_press_desk(actor) else 0)
