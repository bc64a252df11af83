"""Audit log entries as the admin API shows them."""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.api.presenters.common import iso


def present_audit_entry(entry: sa.Row) -> dict:
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
