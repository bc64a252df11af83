"""Moderators handle reports: read them, assign them, recategorise, resolve and reopen them,
delete a reported post; admins also suspend the reported person.

Every function checks the role (moderator, admin or owner) itself, so no caller can skip it;
every change is written to the audit log in its transaction.
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import Forbidden, NotFound
from zwitscher.domain.roles import Actor
from zwitscher.services.delete_status import remove_status
from zwitscher.services.file_report import check_category
from zwitscher.services.record_audit import record_audit
from zwitscher.services.set_person_active import set_person_active


def _require_moderator(actor: Actor) -> None:
    if not actor.moderates:
        raise Forbidden("This action is not allowed")


async def list_reports(uow: UnitOfWork, *, actor: Actor, page: Page, resolved: bool,
                       account_id: int | None, target_account_id: int | None
                       ) -> list[sa.Row]:
    _require_moderator(actor)
    return await uow.reports.page(page, resolved=resolved, account_id=account_id,
                                  target_account_id=target_account_id)


async def get_report(uow: UnitOfWork, *, actor: Actor, report_id: int) -> sa.Row:
    _require_moderator(actor)
    report = await uow.reports.get(report_id)
    if report is None:
        raise NotFound()
    return report


async def assign_report(uow: UnitOfWork, *, actor: Actor, report_id: int) -> sa.Row:
    return await _change(uow, actor, report_id, "report.assigned",
                         assigned_account_id=actor.account_id)


async def unassign_report(uow: UnitOfWork, *, actor: Actor, report_id: int) -> sa.Row:
    return await _change(uow, actor, report_id, "report.unassigned", assigned_account_id=None)


async def recategorise_report(uow: UnitOfWork, *, actor: Actor, report_id: int,
                              category: str | None, rule_ids: list[str]) -> sa.Row:
    """Mastodon's "update a report": a category not given stays as it is."""
    report = await get_report(uow, actor=actor, report_id=report_id)
    category = check_category(category or report.category, rule_ids)
    return await _change(uow, actor, report_id, "report.recategorised", category=category)


async def resolve_report(uow: UnitOfWork, *, actor: Actor, report_id: int) -> sa.Row:
    return await _change(uow, actor, report_id, "report.resolved", action_taken_at=utcnow(),
                         action_taken_by_account_id=actor.account_id)


async def reopen_report(uow: UnitOfWork, *, actor: Actor, report_id: int) -> sa.Row:
    return await _change(uow, actor, report_id, "report.reopened", action_taken_at=None,
                         action_taken_by_account_id=None)


async def _change(uow: UnitOfWork, actor: Actor, report_id: int, action: str,
                  **values) -> sa.Row:
    report = await get_report(uow, actor=actor, report_id=report_id)
    await uow.reports.update(report.id, **values)
    await record_audit(uow, actor=actor, action=action, target_type="report",
                       target_id=report.id, target_account_id=report.target_account_id)
    return await uow.reports.get(report.id)


async def remove_reported_status(uow: UnitOfWork, *, actor: Actor, report_id: int,
                                 status_id: int) -> None:
    """Delete a post the report is about (only one of those, so a moderator's reach stays
    what people reported); the report stays open for its other posts and the account."""
    report = await get_report(uow, actor=actor, report_id=report_id)
    status = await uow.statuses.get(status_id)
    if (status is None or status_id not in report.status_ids
            or status.account_id != report.target_account_id):
        raise NotFound()
    await remove_status(uow, status=status)
    await record_audit(uow, actor=actor, action="status.removed", target_type="status",
                       target_id=status_id, report_id=str(report.id),
                       target_account_id=report.target_account_id)


async def suspend_reported_account(uow: UnitOfWork, *, actor: Actor, report_id: int) -> sa.Row:
    """Deactivate the reported person (as admins do: signed out everywhere, no sign-in) and
    resolve the report, in one step."""
    report = await get_report(uow, actor=actor, report_id=report_id)
    await set_person_active(uow, actor=actor, account_id=report.target_account_id, active=False)
    return await resolve_report(uow, actor=actor, report_id=report_id)
