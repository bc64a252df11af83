"""Stories: who reads one, and which posts may stand in it.

One rule decides both when a post is added and every time a story is read: **a post may
appear in a story only if every possible reader of the story may see it.**
- a `public` story is read by anyone, signed in or not: its posts are public or unlisted;
- an `internal` story is read by the organisation's people (not guests): its posts are public,
  unlisted or internal;
and in both, never a post whose author's account deletion waits (as `visible_to(None)`), nor a
deleted one (its block goes with it). A post whose audience narrowed later is left out of every
rendering (page, embed, feed, exports, API) until it is removed.

Who does what to a story:
- its managers (the owner; for a brand account's story, the people it is granted to) edit,
  publish and unpublish it, choose its collaborators and delete it;
- its collaborators (people of the organisation) edit it with them;
- once published, its audience reads it (editors read it before, as a preview).
"""

from __future__ import annotations

import sqlalchemy as sa

from zwitscher.db.schema import statuses
from zwitscher.domain.roles import is_insider
from zwitscher.domain.visibility import Visibility
from zwitscher.policies.visibility import by_deleted_account

PUBLIC = "public"
INTERNAL = "internal"
AUDIENCES = (PUBLIC, INTERNAL)

# The visibilities each audience may see in full (every one of its readers).
_SHOWN_TO = {
    PUBLIC: (Visibility.PUBLIC.value, Visibility.UNLISTED.value),
    INTERNAL: (Visibility.PUBLIC.value, Visibility.UNLISTED.value, Visibility.INTERNAL.value),
}

HEADING = "heading"
TEXT = "text"
POST = "post"
BLOCK_KINDS = (HEADING, TEXT, POST)

MAX_TITLE = 200
MAX_SUMMARY = 2000
MAX_HEADING = 200
MAX_TEXT = 5000
MAX_BLOCKS = 100
MAX_COLLABORATORS = 20


def shown_to_audience(audience: str, table: sa.Table = statuses) -> sa.ColumnElement[bool]:
    """True for `statuses` rows every reader of an `audience` story may see (the rule
    above). Reblogs never stand in a story: their original does."""
    return sa.and_(sa.or_(*(table.c.visibility == visibility
                            for visibility in _SHOWN_TO[audience])),
                   table.c.reblog_of_id.is_(None), ~by_deleted_account(table))


def visibility_fits(audience: str, visibility: str) -> bool:
    """The rule on a post's visibility alone (what `shown_to_audience` asks first)."""
    return visibility in _SHOWN_TO[audience]


def in_audience(audience: str, *, signed_in: bool, role: str | None) -> bool:
    """Whether a reader is of a story's audience: anyone for a public one, the
    organisation's people (signed in, not guests) for an internal one."""
    if audience == PUBLIC:
        return True
    return signed_in and is_insider(role)
