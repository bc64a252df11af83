"""Moderators handle reports: read them, assign them, recategorise, resolve and reopen them,
delete a reported post, limit the reported account; admins also suspend the reported person.
A group's moderators do the same, except limiting and suspending, for the reports about the
members of their groups (`policies.group_moderation`); to them any other report does not exist.

Every function checks who may itself, so no caller can skip it; every change is written to the
audit log in its transaction.
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
from zwitscher.services.limit_account import limit_account
from zwitscher.services.record_audit import record_audit
from zwitscher.services.set_person_active import set_person_active


async def list_reports(uow: UnitOfWork, *, actor: Actor, page: Page, resolved: bool,
                       account_id: int | None, target_account_id: int | None
                       ) -> list[sa.Row]:
    return await uow.reports.page(page, resolved=resolved, account_id=account_id,
                                  target_account_id=target_account_id,
                                  group_moderator_id=await _group_moderator(uow, actor))


async def count_open_reports(uow: UnitOfWork, *, actor: Actor) -> int:
    if not await may_handle_reports(uow, actor):
        return 0
    return await uow.reports.count_unresolved(
        group_moderator_id=await _group_moderator(uow, actor))


async def may_handle_reports(uow: UnitOfWork, actor: Actor) -> bool:
    """The organisation's moderators handle every report; a group's moderators those about
    its members (`policies.group_moderation`)."""
    return actor.moderates or (actor.account_id is not None
                               and await uow.groups.moderates_any(actor.account_id))


async def _group_moderator(uow: UnitOfWork, actor: Actor) -> int | None:
    """None for the organisation's moderators (every report), else the account whose groups
    narrow the reports; refused for anyone who handles none."""
    if actor.moderates:
        return None
    if not await may_handle_reports(uow, actor):
        raise Forbidden("This action is not allowed")
    return actor.account_id


async def get_report(uow: UnitOfWork, *, actor: Actor, report_id: int) -> sa.Row:
    group_moderator_id = await _group_moderator(uow, actor)
    report = await uow.reports.get(report_id)
    if report is None or (group_moderator_id is not None and not await
                          uow.reports.handled_in_groups(report_id, group_moderator_id)):
        raise NotFound()
    return report


async def assign_report(uow: UnitOfWork, *, actor: Actor, report_id: int) -> sa.Row:
    report = await get_report(uow, actor=actor, report_id=report_id)
    return await _change(uow, actor, report, "report.assigned",
                         assigned_account_id=actor.account_id)


async def unassign_report(uow: UnitOfWork, *, actor: Actor, report_id: int) -> sa.Row:
    report = await get_report(uow, actor=actor, report_id=report_id)
    return await _change(uow, actor, report, "report.unassigned", assigned_account_id=None)


async def recategorise_report(uow: UnitOfWork, *, actor: Actor, report_id: int,
                              category: str | None, rule_ids: list[str]) -> sa.Row:
    """Mastodon's "update a report": a category not given stays as it is."""
    report = await get_report(uow, actor=actor, report_id=report_id)
    category = check_category(category or report.category, rule_ids)
    return await _change(uow, actor, report, "report.recategorised", category=category)


async def resolve_report(uow: UnitOfWork, *, actor: Actor, report_id: int) -> sa.Row:
    report = await get_report(uow, actor=actor, report_id=report_id)
    return await _resolve(uow, actor, report)


async def reopen_report(uow: UnitOfWork, *, actor: Actor, report_id: int) -> sa.Row:
    report = await get_report(uow, actor=actor, report_id=report_id)
    return await _change(uow, actor, report, "report.reopened", action_taken_at=None,
                         action_taken_by_account_id=None)


async def _resolve(uow: UnitOfWork, actor: Actor, report: sa.Row) -> sa.Row:
    return await _change(uow, actor, report, "report.resolved", action_taken_at=utcnow(),
                         action_taken_by_account_id=actor.account_id)


async def _change(uow: UnitOfWork, actor: Actor, report: sa.Row, action: str,
                  **values) -> sa.Row:
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


async def limit_reported_account(uow: UnitOfWork, *, actor: Actor, report_id: int) -> sa.Row:
    """Limit the reported account (the organisation's moderators) and resolve the report,
    in one step."""
    report = await get_report(uow, actor=actor, report_id=report_id)
    await limit_account(uow, actor=actor, account_id=report.target_account_id, limited=True)
    return await _resolve(uow, actor, report)


async def lift_limit_of_reported_account(uow: UnitOfWork, *, actor: Actor,
                                         report_id: int) -> sa.Row:
    """Lift the limit (a moderator limited by mistake); the report stays as it is."""
    report = await get_report(uow, actor=actor, report_id=report_id)
    await limit_account(uow, actor=actor, account_id=report.target_account_id, limited=False)
    return report


async def suspend_reported_account(uow: UnitOfWork, *, actor: Actor, report_id: int) -> sa.Row:
    """Deactivate the reported person (as admins do: signed out everywhere, no sign-in) and
    resolve the report, in one step."""
    report = await get_report(uow, actor=actor, report_id=report_id)
    await set_person_active(uow, actor=actor, account_id=report.target_account_id, active=False)
    return await _resolve(uow, actor, report)
