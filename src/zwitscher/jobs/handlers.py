"""Job bodies: load by id, call a service, publish to streams. A missing row means done.

Each body runs in the transaction that also deletes its job row, so a job whose writes
committed never runs again, and one that failed left nothing behind. `HANDLERS` and
`DELIVERIES` map each job kind (`domain/jobs.py`) to its body; this is the one place that
mapping is built, and `app.py` and `cli.py` hand it to their `JobRunner`.
"""

from __future__ import annotations

import logging

import orjson

from zwitscher.api.presenters.announcements import present_announcements
from zwitscher.api.presenters.push import present_push_message
from zwitscher.db.uow import UnitOfWork, UnitsOfWork
from zwitscher.domain.channels import ANNOUNCEMENTS_CHANNEL, Event
from zwitscher.domain.clock import utcnow
from zwitscher.domain.jobs import (
    AnnounceStatusDelete,
    AnnounceStatusesDelete,
    AnnounceStatusUpdate,
    ApplyRetention,
    ArchiveEvent,
    CheckMonitorSpikes,
    CleanUnattachedMedia,
    DeleteMediaFiles,
    DeliverCrisis,
    DeliverPush,
    EndLegalHold,
    EndPoll,
    EndPressConference,
    EscalateCrisis,
    ExpireAnnouncement,
    ExpireArchive,
    ExpireMute,
    FanOutStatus,
    FetchLinkCard,
    FollowBack,
    MailMonitorAlert,
    MailNewsroomSubscribers,
    MakeArchive,
    OpenPressConference,
    PreviewPressRelease,
    PublishAnnouncement,
    PublishBrandDraft,
    PublishPressRelease,
    PublishScheduledStatus,
    PurgeAccount,
    PushMonitorAlert,
    RollUpAnalytics,
    ScoreActiveAccounts,
    SendMail,
    SendMonitorWebhook,
    TrimHomeFeeds,
    TrimMonitorTerms,
)
from zwitscher.jobs.runner import Deliveries, Handlers
from zwitscher.jobs.status_streams import (
    announce_delete,
    announce_deletes,
    announce_update,
    fan_out,
)
from zwitscher.mail.messages import compose, recipient
from zwitscher.mail.transport import Undeliverable, transport_for
from zwitscher.services.apply_retention import apply_retention
from zwitscher.services.archive_event import archive_at_its_end
from zwitscher.services.check_monitor_spikes import run_spike_check
from zwitscher.services.clean_unattached_media import clean_unattached_media
from zwitscher.services.close_legal_hold import end_legal_hold
from zwitscher.services.delete_media import delete_files
from zwitscher.services.deliver_crisis import deliver_crisis
from zwitscher.services.deliver_monitor_alert import (
    mail_monitor_alert,
    push_monitor_alert,
    send_monitor_webhook,
)
from zwitscher.services.deliver_push import deliver_push
from zwitscher.services.end_poll import end_poll
from zwitscher.services.end_press_conference import end_at_its_end
from zwitscher.services.escalate_crisis import escalate_crisis
from zwitscher.services.expire_archive import expire_archive
from zwitscher.services.fetch_link_card import fetch_link_card
from zwitscher.services.follow_back import follow_back
from zwitscher.services.mail_newsroom import mail_newsroom
from zwitscher.services.make_archive import make_archive
from zwitscher.services.mute_account import expire_mute
from zwitscher.services.open_press_conference import open_press_conference
from zwitscher.services.preview_press_release import preview_press_release
from zwitscher.services.publish_press_release import publish_press_release
from zwitscher.services.publish_scheduled_status import publish_scheduled_status
from zwitscher.services.purge_account import purge_account
from zwitscher.services.review_brand_draft import publish_draft
from zwitscher.services.roll_up_analytics import roll_up_analytics
from zwitscher.services.score_active_accounts import score_active_accounts
from zwitscher.services.trim_home_feeds import trim_home_feeds
from zwitscher.services.trim_monitor_terms import trim_monitor_terms
from zwitscher.services.write_announcement import withdraw

log = logging.getLogger(__name__)


async def publish_announcement(uow: UnitOfWork, job: PublishAnnouncement) -> None:
    """Streams hear an announcement when it begins (an earlier job of a since-changed one
    finds it not begun, or gone, and does nothing)."""
    row = await uow.announcements.get_active(job.announcement_id, utcnow())
    if row is None:
        return
    entity = (await present_announcements(uow, [row], viewer_id=None,
                                          origin=uow.settings.base_url))[0]
    uow.publish(ANNOUNCEMENTS_CHANNEL, Event.ANNOUNCEMENT, orjson.dumps(entity).decode())


async def expire_announcement(uow: UnitOfWork, job: ExpireAnnouncement) -> None:
    row = await uow.announcements.get(job.announcement_id)
    if row is not None and row.published and row.ends_at is not None \
            and row.ends_at <= utcnow():
        withdraw(uow, row.id)


async def trim_feeds(uow: UnitOfWork, job: TrimHomeFeeds) -> None:
    await trim_home_feeds(uow, after_account_id=job.after_account_id)


async def roll_up_counters(uow: UnitOfWork, job: RollUpAnalytics) -> None:
    await roll_up_analytics(uow)


async def check_spikes(uow: UnitOfWork, job: CheckMonitorSpikes) -> None:
    await run_spike_check(uow)


async def trim_terms(uow: UnitOfWork, job: TrimMonitorTerms) -> None:
    await trim_monitor_terms(uow)


async def score_quality(uow: UnitOfWork, job: ScoreActiveAccounts) -> None:
    await score_active_accounts(uow, after_account_id=job.after_account_id)


async def follow_back_follower(uow: UnitOfWork, job: FollowBack) -> None:
    await follow_back(uow, account_id=job.account_id, follower_id=job.follower_id)


async def publish_brand_draft(uow: UnitOfWork, job: PublishBrandDraft) -> None:
    draft = await uow.brands.draft(job.draft_id)
    if draft is not None and draft.state == "scheduled":
        await publish_draft(uow, draft=draft)


async def preview_release(uow: UnitOfWork, job: PreviewPressRelease) -> None:
    await preview_press_release(uow, release_id=job.release_id)


async def publish_release(uow: UnitOfWork, job: PublishPressRelease) -> None:
    await publish_press_release(uow, release_id=job.release_id)


async def mail_release(uow: UnitOfWork, job: MailNewsroomSubscribers) -> None:
    """Not in AT_ONCE, though it awaits only the database: run in one transaction with the
    release's fan-out, it would hold the streams' events back until its batch is queued."""
    await mail_newsroom(uow, release_id=job.release_id, after_id=job.after_id)


async def delete_media_files(uow: UnitOfWork, job: DeleteMediaFiles) -> None:
    await delete_files(uow, keys=list(job.keys))


async def clean_media(uow: UnitOfWork, job: CleanUnattachedMedia) -> None:
    await clean_unattached_media(uow)


async def apply_retention_policies(uow: UnitOfWork, job: ApplyRetention) -> None:
    await apply_retention(uow)


async def purge_deleted_account(uow: UnitOfWork, job: PurgeAccount) -> None:
    await purge_account(uow, account_id=job.account_id)


async def publish_scheduled(uow: UnitOfWork, job: PublishScheduledStatus) -> None:
    scheduled = await uow.scheduled_statuses.get(job.scheduled_status_id)
    # Moved to a later time since this job was queued: the job for that time publishes it.
    if scheduled is not None and scheduled.scheduled_at <= utcnow():
        await publish_scheduled_status(uow, scheduled=scheduled)


async def end_poll_at_expiry(uow: UnitOfWork, job: EndPoll) -> None:
    await end_poll(uow, poll_id=job.poll_id, after_voter_id=job.after_voter_id)


async def end_timed_mute(uow: UnitOfWork, job: ExpireMute) -> None:
    await expire_mute(uow, account_id=job.account_id, target_id=job.target_id)


async def end_hold_at_its_end(uow: UnitOfWork, job: EndLegalHold) -> None:
    await end_legal_hold(uow, hold_id=job.hold_id)


async def open_conference_at_its_start(uow: UnitOfWork, job: OpenPressConference) -> None:
    await open_press_conference(uow, conference_id=job.conference_id)


async def end_conference_at_its_end(uow: UnitOfWork, job: EndPressConference) -> None:
    await end_at_its_end(uow, conference_id=job.conference_id)


async def archive_event_at_its_end(uow: UnitOfWork, job: ArchiveEvent) -> None:
    await archive_at_its_end(uow, event_id=job.event_id)


async def push_notification(uows: UnitsOfWork, job: DeliverPush) -> None:
    await deliver_push(uows, subscription_id=job.subscription_id,
                       notification_id=job.notification_id, render=present_push_message)


async def fetch_card(uows: UnitsOfWork, job: FetchLinkCard) -> None:
    await fetch_link_card(uows, status_id=job.status_id)


async def write_archive(uows: UnitsOfWork, job: MakeArchive) -> None:
    await make_archive(uows, archive_id=job.archive_id)


async def delete_archive(uow: UnitOfWork, job: ExpireArchive) -> None:
    await expire_archive(uow, archive_id=job.archive_id, file_key=job.file_key)


async def deliver_crisis_messages(uows: UnitsOfWork, job: DeliverCrisis) -> None:
    await deliver_crisis(uows, crisis_id=job.crisis_id, channel=job.channel, round=job.round,
                         render=present_push_message)


async def escalate(uow: UnitOfWork, job: EscalateCrisis) -> None:
    await escalate_crisis(uow, crisis_id=job.crisis_id, step=job.step)


async def send_mail(uows: UnitsOfWork, job: SendMail) -> None:
    message = compose(uows.settings, kind=job.kind, to=recipient(job.to, job.name),
                      language=job.language, values=dict(job.values), message_id=job.message_id)
    try:
        await transport_for(uows.settings).send(message)
    except Undeliverable as exc:
        # Asking again would get the same answer: the job ends, the log keeps why.
        log.warning("e-mail %s (%s) to %s refused for good: %s", job.message_id, job.kind,
                    job.to, exc)


# Handlers that await nothing but the database: they run in one step (`write_at_once`), which
# on SQLite is what makes a burst of posts drain in seconds.
AT_ONCE = frozenset({FanOutStatus, AnnounceStatusUpdate, AnnounceStatusDelete,
                     AnnounceStatusesDelete})

HANDLERS: Handlers = {
    FanOutStatus: fan_out,
    AnnounceStatusUpdate: announce_update,
    AnnounceStatusDelete: announce_delete,
    AnnounceStatusesDelete: announce_deletes,
    TrimHomeFeeds: trim_feeds,
    PublishBrandDraft: publish_brand_draft,
    ScoreActiveAccounts: score_quality,
    RollUpAnalytics: roll_up_counters,
    CheckMonitorSpikes: check_spikes,
    TrimMonitorTerms: trim_terms,
    FollowBack: follow_back_follower,
    PublishAnnouncement: publish_announcement,
    ExpireAnnouncement: expire_announcement,
    DeleteMediaFiles: delete_media_files,
    CleanUnattachedMedia: clean_media,
    ApplyRetention: apply_retention_policies,
    PurgeAccount: purge_deleted_account,
    PublishScheduledStatus: publish_scheduled,
    EndPoll: end_poll_at_expiry,
    ExpireMute: end_timed_mute,
    ExpireArchive: delete_archive,
    EndLegalHold: end_hold_at_its_end,
    OpenPressConference: open_conference_at_its_start,
    EndPressConference: end_conference_at_its_end,
    PreviewPressRelease: preview_release,
    PublishPressRelease: publish_release,
    MailNewsroomSubscribers: mail_release,
    ArchiveEvent: archive_event_at_its_end,
    EscalateCrisis: escalate,
    MailMonitorAlert: mail_monitor_alert,
}

# Jobs that wait on other servers: they open their own short units of work, so no transaction
# stays open while a remote server takes its time.
DELIVERIES: Deliveries = {
    DeliverPush: push_notification,
    FetchLinkCard: fetch_card,
    SendMail: send_mail,
    DeliverCrisis: deliver_crisis_messages,
    PushMonitorAlert: push_monitor_alert,
    SendMonitorWebhook: send_monitor_webhook,
    # Not waiting on another server, but long: written page by page, each page in a short
    # unit of work, so no transaction stays open while the zip grows.
    MakeArchive: write_archive,
}
