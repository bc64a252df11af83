"""The names live delivery is held together by: broker channels and stream events.

Every channel and event name is spelled here and nowhere else; services, jobs and streams
build them with these functions, so a publisher and the sessions listening can never disagree
on a name. It lives in `domain` (not `streaming`) because services publish and must not import
the streaming layer.

Channels (on Redis each carries the instance's name in front, `zw-…:timeline:public`):
  timeline:{account_id}                  an account's own channel: its home timeline and
                                         notifications, and the control events of its streams
  timeline:public[:local][:media]        public statuses (all of ours are local); with images
  timeline:hashtag:{tag}[:local]         public statuses with the tag (lower-cased)
  timeline:broadcast:{author}[:internal] posts of an author merged into home timelines when
                                         read (hybrid fan-out); `:internal` for insiders only
  group:{group_id}                       posts addressed to a group, for its members
  list:{list_id}                         a list's new posts, for its owner
  direct:{account_id}                    a participant's conversations (the `direct` stream)
  announcements                          the organisation's announcements, for home streams
  press_conference:{conference_id}       a press conference's questions, votes and answers
                                         (each event says for whom: `PressEvent`)
  event:{event_id}                       a live event's posts (every status with its hashtag,
                                         whoever may read it: streams ask per reader) and its
                                         wall's events (`EventEvent`)
  caches                                 which process caches to drop (`zwitscher.caches`)

Events (`Event`): those Mastodon clients receive (`update`, `delete`, `status.update`,
`notification`, `conversation`, `announcement*`, `filters_changed`) and two only our stream
sessions hear (`relationships.changed`, `session.revoked`).

The stream names clients send (`user`, `public:local`, `hashtag`, …) are Mastodon's protocol,
not channels: `streaming/session.py` parses them and maps them onto these channels.
"""

from __future__ import annotations

from enum import StrEnum

_TIMELINE = "timeline:"
_BROADCAST = "timeline:broadcast:"
_GROUP = "group:"

ANNOUNCEMENTS_CHANNEL = "announcements"
# Every process listens here for the caches a commit elsewhere made stale (zwitscher.caches).
CACHES_CHANNEL = "caches"


class Event(StrEnum):
    """The event of a streamed message (Mastodon's names where Mastodon has the event)."""

    UPDATE = "update"                      # a new status (payload: the rendered status)
    DELETE = "delete"                      # a status is gone (payload: its id as a string)
    STATUS_UPDATE = "status.update"        # a status was edited (payload: the status)
    NOTIFICATION = "notification"          # rendered per viewer from `meta.notification_id`
    CONVERSATION = "conversation"          # a direct conversation as its participant sees it
    ANNOUNCEMENT = "announcement"
    ANNOUNCEMENT_REACTION = "announcement.reaction"
    ANNOUNCEMENT_DELETE = "announcement.delete"
    FILTERS_CHANGED = "filters_changed"    # sessions reload filters; clients are told too
    # Ours, never sent to a client:
    RELATIONSHIPS_CHANGED = "relationships.changed"  # sessions reload blocks, mutes, lists
    SESSION_REVOKED = "session.revoked"    # streams opened with `meta.token_id` must end
    CRISIS_CHANGED = "crisis.changed"      # a crisis's dashboard counts changed


class PressEvent(StrEnum):
    """The events of a press conference's stream (`streaming/press_conferences.py`). Each
    message's `meta.to` says who hears it: `all` who may watch; `moderators` (and the askers
    in `meta.askers`); or `others`, everyone but those."""

    OPENED = "conference.opened"
    SUBMITTED = "question.submitted"    # for the moderators and its asker
    ACCEPTED = "question.accepted"
    MERGED = "question.merged"          # payload: the merged question's id and the one it joined
    REJECTED = "question.rejected"      # with the reason for the moderators and its asker
    VOTES = "question.votes"            # payload: the question's id and its count
    ANSWERED = "question.answered"
    ENDED = "conference.ended"


def home_channel(account_id: int) -> str:
    """An account's own channel: its home timeline, notifications and stream control events."""
    return f"{_TIMELINE}{account_id}"


def public_channel(*, local: bool = False, media: bool = False) -> str:
    """Public statuses; `local` ones only (all of ours), and only those with images."""
    return f"{_TIMELINE}public" + (":local" if local else "") + (":media" if media else "")


def hashtag_channel(tag: str, *, local: bool = False) -> str:
    """Public statuses with a hashtag; tags are matched lower-cased."""
    return f"{_TIMELINE}hashtag:{tag.lower()}" + (":local" if local else "")


def broadcast_channel(author_id: int, *, internal: bool = False) -> str:
    """Posts of an author whose followers read them at read time (hybrid fan-out); internal
    posts go out on a channel of their own that only insiders' sessions subscribe to."""
    return f"{_BROADCAST}{author_id}" + (":internal" if internal else "")


def group_channel(group_id: int) -> str:
    """Where posts addressed to a group stream to its members' group streams."""
    return f"{_GROUP}{group_id}"


def list_channel(list_id: int) -> str:
    """Where a list's new posts stream to its owner's list streams."""
    return f"list:{list_id}"


def direct_channel(account_id: int) -> str:
    """Where a participant's conversations stream (the `direct` stream)."""
    return f"direct:{account_id}"


def is_broadcast(channel: str) -> bool:
    return channel.startswith(_BROADCAST)


def group_of(channel: str) -> int | None:
    """The group a group channel belongs to, None for any other channel."""
    return int(channel.removeprefix(_GROUP)) if channel.startswith(_GROUP) else None


def crisis_channel(crisis_id: int) -> str:
    """A crisis's dashboard: someone opened or answered it, or a delivery batch went out."""
    return f"crisis:{crisis_id}"


class EventEvent(StrEnum):
    """The events of a live event's own channel besides the posts' `update`, `delete` and
    `status.update` (`streaming/events.py`)."""

    HIDDEN = "wall.hidden"        # an organiser took a post off the wall (payload: its id)
    ARCHIVED = "event.archived"   # the event ended and was archived: walls say so
    RENEWED = "wall.renewed"      # the wall's secret link was renewed: walls on the old one end


def event_channel(event_id: int) -> str:
    """Where a live event's posts and wall events go, for its page and its wall."""
    return f"event:{event_id}"


def press_conference_channel(conference_id: int) -> str:
    """Where a press conference's events go, for its stream (API and web page)."""
    return f"press_conference:{conference_id}"


def monitor_channel(monitor_id: int) -> str:
    """A monitor's new matches (`update`, meta `status_id`; each stream renders the status
    for its own reader, if they may see it) and posts gone from it (`delete`)."""
    return f"monitor:{monitor_id}"
