"""Reading the audit log in the administration console: admins and owners only, filtered by
who did it (a username, or one of the organisation's systems as the log names it), what
(an action) and when (a range of days in the reader's time zone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

import sqlalchemy as sa

from zwitscher.db.pagination import Page
from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import Forbidden, ValidationFailed
from zwitscher.domain.roles import Actor

# What the services record, for the console's filter; `tests/test_web_admin_settings.py`
# checks that every action a service names is here.
KNOWN_ACTIONS = (
    "account.approved", "account.confirmed", "account.created", "account.deactivated",
    "account.deleted", "account.deletion_cancelled", "account.deletion_hastened",
    "account.deletion_requested",
    "account.directory_deleted", "account.directory_restored",
    "account.identity_linked", "account.invited", "account.limited",
    "account.password_reset_sent",
    "account.password_set",
    "account.quality_scored", "account.reactivated", "account.recovery_codes_renewed",
    "account.role_changed", "account.second_factor_optional",
    "account.second_factor_required", "account.security_key_added",
    "account.security_key_removed",
    "account.two_factor_disabled", "account.two_factor_enabled", "account.unlimited",
    "account.updated",
    "announcement.created", "announcement.deleted", "announcement.ended",
    "announcement.updated",
    "brand.author_granted", "brand.author_revoked", "brand.created", "brand.draft_approved",
    "brand.draft_rejected",
    "contact_list.change", "contact_list.create", "contact_list.delete",
    "crisis.close", "crisis.dark_site", "crisis.resend", "crisis.send", "crisis.update",
    "crisis_template.create", "crisis_template.delete", "crisis_template.update",
    "custom_emoji.created", "custom_emoji.deleted", "custom_emoji.updated",
    "directory.token_issued", "directory.token_revoked",
    "group.created", "group.deleted", "group.members_added", "group.members_removed",
    "group.press_changed", "group.updated",
    "instance.configured",
    "legal_hold.approved", "legal_hold.closed", "legal_hold.ended",
    "legal_hold.messages_viewed", "legal_hold.opened", "legal_hold.person_told",
    "legal_hold.rejected",
    "press.accreditation_approved", "press.accreditation_rejected", "press.journalist_invited",
    "report.assigned", "report.recategorised", "report.reopened", "report.resolved",
    "report.unassigned", "retention.configured",
    "status.removed",
)
MAX_ACTOR_LENGTH = 200


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Empty fields filter nothing. `actor`: a username (with or without @) or a label such
    as "directory (SCIM)"; `since` / `until`: the first and last day in `zone`, both
    included."""

    actor: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None
    zone: tzinfo = UTC


async def read_audit_log(uow: UnitOfWork, *, actor: Actor, filters: AuditFilter,
                         page: Page) -> list[sa.Row]:
    if not actor.administers:
        raise Forbidden("Only admins may read the audit log")
    if len(filters.actor) > MAX_ACTOR_LENGTH:
        raise ValidationFailed("Who did it is too long (at most %(max_length)s characters)",
                               max_length=MAX_ACTOR_LENGTH)
    if filters.since and filters.until and filters.since > filters.until:
        raise ValidationFailed("The first day is after the last day")
    return await uow.audit.page(
        page, action=filters.action or None, actor_labels=_labels(filters.actor),
        since=_midnight(filters.since, filters.zone),
        before=_midnight(filters.until + timedelta(days=1), filters.zone)
        if filters.until else None)


def _labels(actor: str) -> list[str]:
    """How the log may name who was asked for: a person as "@name", a system by its label."""
    actor = actor.strip()
    if not actor:
        return []
    return sorted({actor, "@" + actor.removeprefix("@")})


def _midnight(day: date | None, zone: tzinfo) -> datetime | None:
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC) if day else None
