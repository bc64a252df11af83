"""Every kind of background job, as a typed value: its kind name and its payload's fields.

A service that causes later work enqueues one of these (`uow.enqueue(FanOutStatus(status_id=
…))`); the queue stores the kind name and the fields as a JSON payload (`db/repos/jobs.py`);
the runner turns a stored row back into its value with `decode_job` and hands it to the
handler registered for its class (`jobs/handlers.py`). Kind names and field names are what
queued rows hold, so they never change: a row written before a deploy must still decode after
it (a field added later needs a default).

They live in `domain`, not `jobs`, because services enqueue them and `jobs` depends on
services, never the other way round.

Deliveries (jobs that wait on something outside the database: see `jobs/runner.py`) share a
worker's slots. A slow kind that nobody waits for declares the most of them it may take
(`@job(kind, delivery_slots=n)`); the worker claims no more of it than that, so e-mail and
Web Push always find a slot free, however many slow ones are queued.

  status.fan_out           FanOutStatus            feeds and streams of a new status
  status.updated           AnnounceStatusUpdate    streams and rebloggers hear of an edit
  status.deleted           AnnounceStatusDelete    streams hear of a deletion
  statuses.deleted         AnnounceStatusesDelete  streams hear of many deletions at once
  status.fetch_card        FetchLinkCard           a link's preview card (a slow delivery)
  scheduled_status.publish PublishScheduledStatus  a scheduled status's time has come
  brand_draft.publish      PublishBrandDraft       an approved brand post's time has come
  press_release.preview    PreviewPressRelease     a release's press groups may read it (and
                                                   are e-mailed)
  press_release.publish    PublishPressRelease     a release's embargo ends: it is posted
  press_release.mail       MailNewsroomSubscribers a published release goes to the newsroom's
                                                   e-mail subscribers, a batch per job
  poll.end                 EndPoll                 a poll ran out (voters notified in batches)
  mute.expire              ExpireMute              a timed mute ends
  account.follow_back      FollowBack              a brand follows its new follower back
  announcement.publish     PublishAnnouncement     an announcement begins
  announcement.expire      ExpireAnnouncement      an announcement ends
  media.delete_files       DeleteMediaFiles        files of deleted attachments go
  push.deliver             DeliverPush             a Web Push message (a delivery: see runner)
  mail.send                SendMail                an e-mail (a delivery)
  account.purge            PurgeAccount            a deleted account's data goes (in batches)
  legal_hold.end           EndLegalHold            a legal hold reached its end
  press_conference.open    OpenPressConference     a press conference starts: its announcement
  press_conference.end     EndPressConference      a press conference reached its end
  event.archive            ArchiveEvent            a live event reached its end: it is archived
  crisis.deliver           DeliverCrisis           a crisis's messages on one channel (a
                                                   delivery: batches to the push service, the
                                                   mail server or the SMS gateway)
  crisis.escalate          EscalateCrisis          who has not opened a crisis gets the next
                                                   channel
  monitor.mail             MailMonitorAlert        a monitor's matches since the last e-mail (or
                                                   a spike), to one recipient
  monitor.push             PushMonitorAlert        a monitor's alert to one person's devices (a
                                                   delivery)
  monitor.webhook          SendMonitorWebhook      a monitor's alert to its signed webhook (a
                                                   delivery)
  archive.make             MakeArchive             a person's archive is written (a slow
                                                   delivery: it opens its own short units of
                                                   work)
  archive.expire           ExpireArchive           a person's archive is deleted
  recurring, each re-enqueueing itself:
  home_feeds.trim          TrimHomeFeeds           home feeds keep their newest entries
  media.clean_unattached   CleanUnattachedMedia    uploads never posted are deleted
  quality.score_active     ScoreActiveAccounts     quality scores of active accounts
  retention.apply          ApplyRetention          statuses past the retention policies go
  analytics.roll_up        RollUpAnalytics         counted events go into hourly and daily
                                                   buckets
  monitor.check_spikes     CheckMonitorSpikes      monitors with unusually many matches this
                                                   hour alert (once per spike)
  monitor.trim_terms       TrimMonitorTerms        the days over keep their most mentioned terms
                                                   per monitor
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, TypeVar, dataclass_transform


class Job:
    """Base of the job kinds: each is declared with `@job(kind)`, a frozen dataclass whose
    class-level `KIND` is its name in the queue."""

    __slots__ = ()
    KIND: ClassVar[str]
    # A delivery's share of a worker's delivery slots (None: any free one).
    DELIVERY_SLOTS: ClassVar[int | None] = None

    def payload(self) -> dict[str, Any]:
        """The fields as stored (JSON): tuples become lists."""
        return {f.name: list(value) if isinstance(value := getattr(self, f.name), tuple)
                else value for f in dataclasses.fields(self)}


J = TypeVar("J", bound=type[Job])


@dataclass_transform(frozen_default=True)
def job(kind: str, *, delivery_slots: int | None = None) -> Callable[[J], J]:
    """Declare a job kind: a frozen dataclass named `kind` in the queue; a slow delivery
    with the most of a worker's delivery slots it may take at once."""
    def define(cls: J) -> J:
        cls = dataclasses.dataclass(frozen=True, slots=True)(cls)
        cls.KIND = kind
        cls.DELIVERY_SLOTS = delivery_slots
        return cls
    return define


def decode_job(kinds: Mapping[str, type[Job]], kind: str, payload: Mapping[str, Any]) -> Job:
    """The one place a stored job becomes its value again. Lists come back as tuples (the
    fields are immutable); a kind nobody handles is an error the runner records on the job."""
    cls = kinds.get(kind)
    if cls is None:
        raise LookupError(f"no handler for job kind {kind!r}")
    return cls(**{name: tuple(value) if isinstance(value, list) else value
                  for name, value in payload.items()})


def kinds_of(classes: Iterable[type[Job]]) -> dict[str, type[Job]]:
    return {cls.KIND: cls for cls in classes}


# Statuses.

@job("status.fan_out")
class FanOutStatus(Job):
    status_id: int


@job("status.updated")
class AnnounceStatusUpdate(Job):
    status_id: int


@job("status.deleted")
class AnnounceStatusDelete(Job):
    """The status is gone when this runs: it carries what its audience depends on."""

    status_id: int
    author_id: int
    visibility: str
    mentioned_ids: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    group_ids: tuple[int, ...] = ()
    is_reblog: bool = False
    with_media: bool = False


# Each waits on a site nobody vouches for, up to ZWITSCHER_PREVIEW_TIMEOUT_SECONDS for its page,
# its oEmbed and its image: a few slow sites must not keep password resets waiting.
@job("status.fetch_card", delivery_slots=3)
class FetchLinkCard(Job):
    status_id: int


@job("statuses.deleted")
class AnnounceStatusesDelete(Job):
    """Many statuses gone at once (`services/remove_statuses.py`): each as the payload of an
    `AnnounceStatusDelete` would carry it."""

    deletions: tuple[dict[str, Any], ...]


@job("scheduled_status.publish")
class PublishScheduledStatus(Job):
    scheduled_status_id: int


@job("brand_draft.publish")
class PublishBrandDraft(Job):
    draft_id: int


# Press releases: each job is queued for its moment and checks again when it runs (a release
# moved to another time has a new job for it; the old one finds nothing to do).

@job("press_release.preview")
class PreviewPressRelease(Job):
    release_id: int


@job("press_release.publish")
class PublishPressRelease(Job):
    release_id: int


@job("press_release.mail")
class MailNewsroomSubscribers(Job):
    """The subscribers after `after_id` get the release; the job queues the next batch."""

    release_id: int
    after_id: int = 0


@job("poll.end")
class EndPoll(Job):
    poll_id: int
    after_voter_id: int | None = None  # voters up to this one were notified already


# Accounts.

@job("mute.expire")
class ExpireMute(Job):
    account_id: int
    target_id: int


@job("account.purge")
class PurgeAccount(Job):
    """Queued for the end of the grace period, and again for each further batch."""

    account_id: int


@job("account.follow_back")
class FollowBack(Job):
    account_id: int
    follower_id: int


# Announcements.

@job("announcement.publish")
class PublishAnnouncement(Job):
    announcement_id: int


@job("announcement.expire")
class ExpireAnnouncement(Job):
    announcement_id: int


# Media and push.

@job("media.delete_files")
class DeleteMediaFiles(Job):
    keys: tuple[str, ...]


@job("push.deliver")
class DeliverPush(Job):
    subscription_id: int
    notification_id: int


@job("mail.send")
class SendMail(Job):
    """An e-mail of one of the kinds in `mail/messages.py`, composed when it is sent (in the
    reader's language, with the values its template reads)."""

    kind: str
    to: str
    name: str
    language: str
    values: dict[str, Any]
    message_id: str


# Crisis broadcasts (`services/send_crisis.py`).

# One per crisis, channel and round: it alone claims that round's deliveries, so a run that
# was interrupted takes over what it had claimed. Urgent, but it must not take every slot
# from the other deliveries: a crisis uses up to three channels at once, and a re-send or an
# escalation round may run beside them.
@job("crisis.deliver", delivery_slots=4)
class DeliverCrisis(Job):
    crisis_id: int
    channel: str
    round: int


@job("crisis.escalate")
class EscalateCrisis(Job):
    crisis_id: int
    step: int


# People's archives.

# Written for minutes; an e-mail tells the person when it is ready, so it may wait its turn.
@job("archive.make", delivery_slots=2)
class MakeArchive(Job):
    archive_id: int


@job("archive.expire")
class ExpireArchive(Job):
    """Carries the file's key: the file goes also when its row went first (the account)."""

    archive_id: int
    file_key: str


# Legal holds.

@job("legal_hold.end")
class EndLegalHold(Job):
    hold_id: int


# Press conferences.

@job("press_conference.open")
class OpenPressConference(Job):
    conference_id: int


@job("press_conference.end")
class EndPressConference(Job):
    conference_id: int


# Live events.

@job("event.archive")
class ArchiveEvent(Job):
    event_id: int


# Recurring housekeeping.

@job("home_feeds.trim")
class TrimHomeFeeds(Job):
    after_account_id: int = 0


@job("media.clean_unattached")
class CleanUnattachedMedia(Job):
    """No payload: each run takes the oldest abandoned uploads."""


@job("quality.score_active")
class ScoreActiveAccounts(Job):
    after_account_id: int = 0


@job("retention.apply")
class ApplyRetention(Job):
    """No payload: each run takes the oldest statuses past their policy."""


@job("analytics.roll_up")
class RollUpAnalytics(Job):
    """No payload: each run takes the oldest counted events."""


@job("monitor.check_spikes")
class CheckMonitorSpikes(Job):
    """No payload: each run checks the current and the previous hour."""


@job("monitor.trim_terms")
class TrimMonitorTerms(Job):
    """No payload: each run trims the last days that are over."""


# Monitors' alerts (`services/queue_monitor_alert.py`): `kind` is "match" (the posts in
# `status_ids`) or "spike" (the numbers in `counts`).

@job("monitor.mail")
class MailMonitorAlert(Job):
    """An e-mail to one recipient with every match since their last one (or a spike)."""

    monitor_id: int
    account_id: int
    kind: str = "match"
    counts: dict[str, Any] | None = None


@job("monitor.push")
class PushMonitorAlert(Job):
    monitor_id: int
    account_id: int
    kind: str
    status_ids: tuple[int, ...] = ()
    counts: dict[str, Any] | None = None


@job("monitor.webhook")
class SendMonitorWebhook(Job):
    monitor_id: int
    kind: str
    delivery_id: str
    status_ids: tuple[int, ...] = ()
    counts: dict[str, Any] | None = None
