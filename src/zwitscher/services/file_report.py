"""File a report against an account: it reaches every moderator, admin and owner as an
`admin.report` notification.

Attached statuses must be the reported account's and visible to the reporter: nobody learns of
or points at a post through a report that they could not read. There are no server rules, so
`rule_ids` must be empty.
"""

from __future__ import annotations

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.roles import MODERATORS
from zwitscher.services.notify import notify

CATEGORIES = ("spam", "legal", "violation", "other")
MAX_COMMENT = 1000
MAX_STATUSES = 100


def check_category(category: str, rule_ids: list[str]) -> str:
    if category not in CATEGORIES:
        raise ValidationFailed("Category must be one of %(choices)s", choices=', '.join(CATEGORIES))
    if rule_ids:
        raise ValidationFailed("Rule ids does not reference valid rules")
    return category


async def file_report(uow: UnitOfWork, *, reporter_id: int, target_id: int,
                      status_ids: list[int], comment: str, category: str | None,
                      rule_ids: list[str]) -> int:
    category = check_category(category or "other", rule_ids)
    if len(comment) > MAX_COMMENT:
        raise ValidationFailed("Comment is too long (maximum is %(max_comment)s characters)",
                               max_comment=MAX_COMMENT)
    if len(status_ids) > MAX_STATUSES:
        raise ValidationFailed("At most %(max_statuses)s statuses can be attached",
                               max_statuses=MAX_STATUSES)
    if reporter_id == target_id:
        raise ValidationFailed("You cannot report yourself")
    if await uow.accounts.get(target_id) is None:
        raise NotFound()
    attached = list(dict.fromkeys(status_ids))
    visible = await uow.statuses.get_many_visible(attached, reporter_id)
    if any(status_id not in visible or visible[status_id].account_id != target_id
           for status_id in attached):
        raise ValidationFailed("Status ids must be statuses of the reported account")
    report_id = await uow.reports.add(account_id=reporter_id, target_account_id=target_id,
                                      category=category, comment=comment, status_ids=attached)
    staff = await uow.accounts.ids_with_roles({role.value for role in MODERATORS})
    # The moderators of the reported person's groups, unless that person is staff (only the
    # organisation's moderators handle reports about moderators and admins).
    group_moderators = [] if target_id in staff else await uow.groups.moderator_ids(target_id)
    for moderator_id in dict.fromkeys(staff + group_moderators):
        if moderator_id != target_id:  # a moderator is not told of a report about them
            await notify(uow, recipient_id=moderator_id, actor_id=reporter_id,
                         type="admin.report", report_id=report_id)
    return report_id
