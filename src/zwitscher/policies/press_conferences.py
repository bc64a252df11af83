"""Press conferences: who watches, who takes part, who moderates, and which questions each
of them sees.

- A **public** conference: anyone watches (also without signing in), anyone signed in asks
  and votes.
- A **press-only** conference (audience `groups`): the members of its groups and of the
  groups below them, as they are at each read (a member who leaves loses access at once, as
  with group posts: `policies/visibility.py: in_addressed_group`). Nobody else learns even
  that it exists: 404.
- **Moderators**: the brand's authors (while their role speaks for the organisation, as
  `policies/brands.py: brand_grant` asks) and admins. They see every question and every
  conference of the brand; authors whose brand posts need approval moderate, but another
  author answers (an answer is a post as the brand).

A conference moves
    scheduled ──its start (the announcement is posted)──► open ──its end, or ended early──► ended
and takes questions only while open and before its end. A question moves
    pending ──accept──► accepted ──answer──► answered
       ├──reject (with a reason)──► rejected ◄──reject── accepted
       └──merge into an accepted or answered one──► merged ◄──merge── accepted
Participants see accepted and answered questions, and their own in any state; moderators see
all of them.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.schema import (
    group_members,
    group_tree,
    press_conference_groups,
    press_conferences,
    press_questions,
)

PUBLIC = "public"
GROUPS = "groups"
AUDIENCES = (PUBLIC, GROUPS)

SCHEDULED = "scheduled"
OPEN = "open"
ENDED = "ended"

PENDING = "pending"
ACCEPTED = "accepted"
REJECTED = "rejected"
MERGED = "merged"
ANSWERED = "answered"
QUESTION_STATES = (PENDING, ACCEPTED, REJECTED, MERGED, ANSWERED)
# What every participant sees (and the transcript holds, once answered).
SHOWN_TO_ALL = (ACCEPTED, ANSWERED)
# What a moderator may still decide about.
UNDECIDED = (PENDING, ACCEPTED)

_groups = press_conference_groups.alias("conference_audience_groups")
_tree = group_tree.alias("conference_audience_tree")
_members = group_members.alias("conference_audience_members")


def takes_questions(conference: sa.Row, now: datetime) -> bool:
    """Open, and its end not reached (the job that ends it may come a moment late)."""
    return conference.state == OPEN and conference.starts_at <= now < conference.ends_at


def state_now(conference: sa.Row, now: datetime) -> str:
    """The state as people see it: a conference past its end is over, whether or not the job
    that ends it has run."""
    if conference.state == OPEN and now >= conference.ends_at:
        return ENDED
    return conference.state


def in_audience_groups(viewer_id: int | sa.ColumnElement,
                       table: sa.Table = press_conferences) -> sa.ColumnElement[bool]:
    """The viewer is a member of a group the conference is for, or of one below it."""
    return sa.exists().where(
        _groups.c.conference_id == table.c.id,
        _tree.c.ancestor_id == _groups.c.group_id,
        _members.c.group_id == _tree.c.descendant_id,
        _members.c.account_id == viewer_id)


def watchable_by(viewer_id: int | None, *, moderates_brand: bool = False,
                 table: sa.Table = press_conferences) -> sa.ColumnElement[bool]:
    """The conferences a viewer may watch, as a condition over `press_conferences` (for one
    brand's list: `moderates_brand` says whether the viewer moderates that brand's)."""
    if moderates_brand:
        return sa.true()
    public = table.c.audience == PUBLIC
    if viewer_id is None:
        return public
    return sa.or_(public, in_audience_groups(viewer_id, table))


def questions_shown_to(viewer_id: int | None, *, moderator: bool,
                       table: sa.Table = press_questions) -> sa.ColumnElement[bool]:
    """The questions of a conference a viewer (who may watch it) sees."""
    if moderator:
        return sa.true()
    shown = table.c.state.in_(SHOWN_TO_ALL)
    return shown if viewer_id is None else sa.or_(shown, table.c.asker_id == viewer_id)


def reason_shown(question: sa.Row, viewer_id: int | None, *, moderator: bool) -> bool:
    """Why a question was rejected is for its asker and the moderators."""
    return moderator or (viewer_id is not None and question.asker_id == viewer_id)
