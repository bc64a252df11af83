"""Live events: who sees an event, who takes part, what its timeline and wall show, and what a
participant's consent means.

**Who sees an event** (its page, its timeline, its stream, its calendar file), as one SQL
predicate (`sees_event`) every read path applies; everyone else gets 404:
- `public`: anyone, signed in or not;
- `internal`: the organisation's people (not guests);
- `group`: the members of its groups and of the groups below them, as they are at each read;
- `invitees`: only those invited;
and always its organisers (the creator and the co-organisers they added) and its participants
(whoever was invited, or answered by themselves). An invitation lets its invitee see the
event; it opens no post the invitee may not see otherwise.

**Who takes part** (answers, sets consent, posts through it): whoever sees it, signed in; for an
`invitees` event only those invited. People without an account take part through the link of
their invitation.

**The timeline**: the posts with the event's hashtag, from its creation until it was archived,
by authors who may take part (so nobody can write themselves onto a group's event wall from
outside), each shown to a reader who may see it (`visibility.visible_to`). Posts made through
the event are addressed to its audience: public, internal, or the event's groups; for an
`invitees` event a message to its participants at the time (their names are not written into
the text, nobody is notified). **The wall** shows what every member of the audience may see:
public and unlisted posts, internal ones on an internal event's wall, and the posts made
through the event; never one an organiser hid from it.

**Consent**: per participant, whether they may be named (@mentioned), quoted, shown in
pictures: `yes`, `no` or `unknown`. Unknown counts as *no* for an event that is not public (trust
matters there) and as *yes* for a public one (people come to a public event in public).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from zwitscher.db.schema import (
    event_groups,
    event_organisers,
    event_participants,
    event_posts,
    event_wall_hidden,
    events,
    group_members,
    group_tree,
    statuses,
)
from zwitscher.domain.visibility import Visibility
from zwitscher.policies.visibility import by_deleted_account, insider

PUBLIC = "public"
INTERNAL = "internal"
GROUP = "group"
INVITEES = "invitees"
AUDIENCES = (PUBLIC, INTERNAL, GROUP, INVITEES)

# A participant's answer (the one current answer: a new one replaces it).
PENDING = "pending"
ACCEPTED = "accepted"
DECLINED = "declined"
MAYBE = "maybe"
ANSWERS = (ACCEPTED, DECLINED, MAYBE)
# The words links and clients use for them.
ANSWER_WORDS = {"accept": ACCEPTED, "decline": DECLINED, "maybe": MAYBE}

YES = "yes"
NO = "no"
UNKNOWN = "unknown"
CONSENT_VALUES = (YES, NO, UNKNOWN)
NAMED = "named"
QUOTED = "quoted"
PICTURES = "pictures"
CONSENTS = (NAMED, QUOTED, PICTURES)

# What the event's posts get as their visibility, by audience (`invitees`: see above).
POST_VISIBILITY = {PUBLIC: Visibility.PUBLIC, INTERNAL: Visibility.INTERNAL,
                   GROUP: Visibility.GROUP, INVITEES: Visibility.DIRECT}

UPCOMING = "upcoming"
RUNNING = "running"
ENDED = "ended"
ARCHIVED = "archived"

HELD = "held"
PUBLISHED = "published"
DISCARDED = "discarded"

_groups = event_groups.alias("event_audience_groups")
_tree = group_tree.alias("event_audience_tree")
_members = group_members.alias("event_audience_members")
_organisers = event_organisers.alias("event_audience_organisers")
_participants = event_participants.alias("event_audience_participants")
_posts = event_posts.alias("event_wall_posts")
_hidden = event_wall_hidden.alias("event_wall_hidden_posts")

Value = int | str | sa.ColumnElement


def _sql(value: Value) -> sa.ColumnElement:
    return value if isinstance(value, sa.ColumnElement) else sa.literal(value)


def consents(value: str, *, public: bool) -> bool:
    """A participant's answer to one consent question, as the rules read it."""
    if value == YES:
        return True
    if value == NO:
        return False
    return public


def state_now(event: sa.Row, now: datetime) -> str:
    """Where the event is as people see it: past its end it has ended, whether or not the
    job that archives it has run."""
    if event.archived_at is not None:
        return ARCHIVED
    if now < event.starts_at:
        return UPCOMING
    return RUNNING if now < event.ends_at else ENDED


def takes_posts(event: sa.Row, now: datetime) -> bool:
    """Posting through the event stops at its end (and so once archived)."""
    return event.archived_at is None and now < event.ends_at


def takes_part(account: Value, event_id: Value, audience: Value) -> sa.ColumnElement[bool]:
    """`account` (a viewer's id, or a column such as a post's author) may take part in the
    event: its audience, its organisers, its participants. `event_id` and `audience` are
    columns of `events` or the values of one event."""
    event_id, audience = _sql(event_id), _sql(audience)
    organiser = sa.exists().where(_organisers.c.event_id == event_id,
                                  _organisers.c.account_id == account)
    participant = sa.exists().where(_participants.c.event_id == event_id,
                                    _participants.c.account_id == account)
    in_groups = sa.exists().where(
        _groups.c.event_id == event_id,
        _tree.c.ancestor_id == _groups.c.group_id,
        _members.c.group_id == _tree.c.descendant_id,
        _members.c.account_id == account)
    return sa.or_(audience == PUBLIC, organiser, participant,
                  sa.and_(audience == INTERNAL, insider(account)),
                  sa.and_(audience == GROUP, in_groups))


def sees_event(viewer_id: int | None, table: sa.Table = events) -> sa.ColumnElement[bool]:
    """The events a viewer (None: nobody signed in) may see, over `events`."""
    if viewer_id is None:
        return table.c.audience == PUBLIC
    return takes_part(viewer_id, table.c.id, table.c.audience)


def tagged_window(event: sa.Row, table: sa.Table = statuses) -> sa.ColumnElement[bool]:
    """A status of the event's time: posted after its creation and (once archived) before
    its archiving, never a reblog."""
    window = [table.c.created_at >= event.created_at, table.c.reblog_of_id.is_(None),
              ~by_deleted_account(table)]
    if event.archived_at is not None:
        window.append(table.c.created_at < event.archived_at)
    return sa.and_(*window)


def through_event(event_id: int, table: sa.Table = statuses) -> sa.ColumnElement[bool]:
    return sa.exists().where(_posts.c.status_id == table.c.id, _posts.c.event_id == event_id)


def shown_on_wall(event: sa.Row, table: sa.Table = statuses) -> sa.ColumnElement[bool]:
    """What the wall may show of the event's timeline (see the module's docstring)."""
    shown = [table.c.visibility == Visibility.PUBLIC.value,
             table.c.visibility == Visibility.UNLISTED.value, through_event(event.id, table)]
    if event.audience == INTERNAL:
        shown.append(table.c.visibility == Visibility.INTERNAL.value)
    hidden = sa.exists().where(_hidden.c.event_id == event.id,
                               _hidden.c.status_id == table.c.id)
    return sa.and_(sa.or_(*shown), ~hidden)
