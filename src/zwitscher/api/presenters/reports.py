"""Reports as a reporter sees them (Report) and as moderators do (Admin::Report)."""

from __future__ import annotations

import sqlalchemy as sa
from typing_extensions import TypedDict

from zwitscher.api.entities import Account, Status
from zwitscher.api.presenters.accounts import Role, present_account
from zwitscher.api.presenters.common import iso
from zwitscher.api.presenters.custom_emojis import EmojiIndex, account_emojis
from zwitscher.api.presenters.statuses import present_statuses
from zwitscher.db.uow import UnitOfWork


class ReportHead(TypedDict):
    id: str
    action_taken: bool
    action_taken_at: str | None
    category: str
    comment: str
    forwarded: bool
    created_at: str


class Report(ReportHead):
    status_ids: list[str] | None
    rule_ids: None
    target_account: Account


class AdminAccount(TypedDict):
    id: str
    username: str
    domain: None
    created_at: str
    email: str | None
    ip: None
    ips: list
    locale: str | None
    invite_request: str | None
    role: Role
    confirmed: bool
    suspended: bool
    silenced: bool
    sensitized: bool
    disabled: bool
    approved: bool
    account: Account


class AdminReport(ReportHead):
    updated_at: str
    account: AdminAccount | None
    target_account: AdminAccount | None
    assigned_account: AdminAccount | None
    action_taken_by_account: AdminAccount | None
    statuses: list[Status]
    rules: list


def _common(report: sa.Row) -> dict:
    return {
        "id": str(report.id),
        "action_taken": report.action_taken_at is not None,
        "action_taken_at": iso(report.action_taken_at),
        "category": report.category,
        "comment": report.comment,
        "forwarded": False,
        "created_at": iso(report.created_at),
    }


def present_report(report: sa.Row, target: sa.Row, origin: str, *, emojis: EmojiIndex
                   ) -> Report:
    return _common(report) | {
        "status_ids": [str(i) for i in report.status_ids] or None,
        "rule_ids": None,
        "target_account": present_account(target, origin, emojis=emojis),
    }


async def present_reports_for_notifications(uow: UnitOfWork, report_ids: set[int],
                                            origin: str) -> dict[int, dict]:
    reports = await uow.reports.get_many(report_ids)
    targets = await uow.accounts.get_many({r.target_account_id for r in reports.values()})
    emojis = await account_emojis(uow, targets.values(), origin)
    return {report_id: present_report(report, targets[report.target_account_id], origin,
                                      emojis=emojis)
            for report_id, report in reports.items() if report.target_account_id in targets}


def _admin_account(account: sa.Row, user: sa.Row | None, origin: str, emojis: EmojiIndex
                   ) -> dict:
    role = user.role if user else "member"
    return {
        "id": str(account.id),
        "username": account.username,
        "domain": None,
        "created_at": iso(account.created_at),
        "email": user.email if user else None,
        "ip": None,
        "ips": [],
        "locale": user.locale if user else None,
        "invite_request": user.registration_reason or None if user else None,
        "role": {"id": role, "name": role.capitalize(), "color": "", "permissions": "0",
                 "highlighted": role not in ("member", "guest")},
        "confirmed": bool(user.confirmed) if user else True,
        "suspended": False,
        "silenced": account.limited_at is not None,  # Mastodon's old word for limited
        "sensitized": False,
        "disabled": bool(user.disabled) if user else False,
        "approved": bool(user.approved) if user else True,
        "account": present_account(account, origin, emojis=emojis),
    }


async def present_admin_reports(uow: UnitOfWork, reports: list[sa.Row], *, viewer_id: int,
                                origin: str) -> list[dict]:
    """Moderators see the attached statuses whoever may otherwise read them: judging them is
    what the report asks for. That includes a direct message its recipient chose to attach,
    the one way a moderator reads one (docs/data-rights.md, "Legal hold")."""
    people = {r.account_id for r in reports} | {r.target_account_id for r in reports}
    people |= {r.assigned_account_id for r in reports if r.assigned_account_id}
    people |= {r.action_taken_by_account_id for r in reports if r.action_taken_by_account_id}
    accounts = await uow.accounts.get_many(people)
    users = await uow.accounts.users_for_accounts(people)
    emojis = await account_emojis(uow, accounts.values(), origin)
    status_rows = await uow.statuses.get_many({i for r in reports for i in r.status_ids})
    ordered = list(status_rows.values())
    statuses = dict(zip([s.id for s in ordered], await present_statuses(
        uow, ordered, viewer_id=viewer_id, origin=origin), strict=True))

    def admin_account(account_id: int | None) -> dict | None:
        if account_id is None or account_id not in accounts:
            return None
        return _admin_account(accounts[account_id], users.get(account_id), origin, emojis)

    return [_common(report) | {
        "updated_at": iso(report.updated_at),
        "account": admin_account(report.account_id),
        "target_account": admin_account(report.target_account_id),
        "assigned_account": admin_account(report.assigned_account_id),
        "action_taken_by_account": admin_account(report.action_taken_by_account_id),
        "statuses": [statuses[i] for i in report.status_ids if i in statuses],
        "rules": [],
    } for report in reports]
