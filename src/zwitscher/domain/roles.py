"""Roles in an organisation and what each may do. Services check these, not only the UI.

- owner: everything, including making other owners;
- admin: everything except touching owners;
- moderator: sees reports and quality scores, handles abuse;
- communicator: posts as the brand accounts they are granted, sends broadcasts;
- member: a person of the organisation (sees `internal` posts);
- guest: an external person (a journalist, a partner): follows and reads what is public or
  shared with their groups, never `internal` posts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MODERATOR = "moderator"
    COMMUNICATOR = "communicator"
    MEMBER = "member"
    GUEST = "guest"


ADMINISTRATORS = frozenset({Role.OWNER, Role.ADMIN})
MODERATORS = ADMINISTRATORS | {Role.MODERATOR}
SPEAKERS = ADMINISTRATORS | {Role.COMMUNICATOR}


def parse_role(value: str | None) -> Role | None:
    """A role by name; "user" is the old name of member."""
    if value == "user":
        return Role.MEMBER
    try:
        return Role(value)
    except ValueError:
        return None


def is_insider(role: str | None) -> bool:
    """Whether `internal` posts are for this person (anonymous viewers have no role)."""
    return role is not None and role != Role.GUEST


@dataclass(frozen=True, slots=True)
class Actor:
    """Who does an administrative thing, as the audit log records it: a signed-in person, or
    the organisation's own systems (the command line, the directory) with no account."""

    account_id: int | None
    role: Role
    label: str
    # How the person signed in for this (a web session's method, or `app: NAME` for an app's
    # token), so the audit log shows a session that should not have been.
    signed_in_with: str | None = None

    @property
    def administers(self) -> bool:
        return self.role in ADMINISTRATORS

    @property
    def moderates(self) -> bool:
        return self.role in MODERATORS


COMMAND_LINE = Actor(None, Role.OWNER, "command line")
DIRECTORY = Actor(None, Role.ADMIN, "directory (SCIM)")
SINGLE_SIGN_ON = Actor(None, Role.ADMIN, "single sign-on")
DIRECTORY_SIGN_IN = Actor(None, Role.ADMIN, "directory sign-in (LDAP)")
# What happens at a time set before (a legal hold reaching its end).
SCHEDULE = Actor(None, Role.ADMIN, "schedule")
