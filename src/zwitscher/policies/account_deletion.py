"""Who may delete their own account (docs/data-rights.md).

- People the organisation's directory provisions (SCIM, or an import naming their directory
  id) come and go with the directory, which deactivates and deletes them: they ask an
  administrator instead, or the account would come back at the directory's next update.
- Owners hand ownership to someone else first: an instance must keep its owner.
Everyone else may, people who sign in through single sign-on or LDAP included.
"""

from __future__ import annotations

from enum import StrEnum

from zwitscher.domain.roles import Role


class Refusal(StrEnum):
    DIRECTORY = "directory"
    OWNER = "owner"


def deletion_refused(user) -> Refusal | None:
    """Why `user` (a `users` row) may not delete their own account; None: they may."""
    if user.external_id is not None or user.directory_user_name is not None:
        return Refusal.DIRECTORY
    if user.role == Role.OWNER:
        return Refusal.OWNER
    return None
