"""Audit log entries as the admin API shows them."""

from __future__ import annotations

import sqlalchemy as sa
from typing_extensions import TypedDict

from zwitscher.api.presenters.common import iso


class AuditEntry(TypedDict):
    id: str
    actor_id: str | None
    actor: str
    actor_signed_in_with: str | None
    action: str
    target_type: str
    target_id: str | None
    details: dict
    created_at: str


def present_audit_entry(entry: sa.Row) -> AuditEntry:
    return {
        "id": str(entry.id),
        "actor_id": str(entry.actor_id) if entry.actor_id else None,
        "actor": entry.actor_label,
        "actor_signed_in_with": entry.actor_signed_in_with,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": str(entry.target_id) if entry.target_id else None,
        "details": entry.details,
        "created_at": iso(entry.created_at),
    }
