"""The unit of work: one transaction, its repositories, and what happens after it commits.

Services never commit. They write through the repositories and record what must happen once
the data is durable: events for live streams (`publish`) and jobs (`enqueue`, written into
the same transaction). `Database.write()` commits once and only then publishes and wakes the
job runner, so no stream ever shows a post that a rollback took back.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Generic, TypeVar

import orjson
from sqlalchemy.ext.asyncio import AsyncConnection

from zwitscher import caches
from zwitscher.caches import ReadCaches
from zwitscher.db.engine import Database, stale_caches
from zwitscher.db.repos.account_deletions import AccountDeletionsRepo
from zwitscher.db.repos.account_notes import AccountNotesRepo
from zwitscher.db.repos.accounts import AccountsRepo
from zwitscher.db.repos.analytics import AnalyticsRepo, FollowerComposition
from zwitscher.db.repos.announcements import AnnouncementsRepo
from zwitscher.db.repos.archives import ArchivesRepo
from zwitscher.db.repos.audit import AuditRepo
from zwitscher.db.repos.brands import BrandsRepo
from zwitscher.db.repos.contact_lists import ContactListsRepo
from zwitscher.db.repos.conversations import ConversationsRepo
from zwitscher.db.repos.crises import CrisesRepo
from zwitscher.db.repos.crisis_templates import CrisisTemplatesRepo
from zwitscher.db.repos.custom_emojis import CustomEmojisRepo
from zwitscher.db.repos.directory import DirectoryRepo
from zwitscher.db.repos.domain_blocks import DomainBlocksRepo
from zwitscher.db.repos.endorsements import EndorsementsRepo
from zwitscher.db.repos.event_participants import EventParticipantsRepo
from zwitscher.db.repos.event_posts import EventPostsRepo
from zwitscher.db.repos.events import EventsRepo
from zwitscher.db.repos.feeds import FeedsRepo
from zwitscher.db.repos.filters import FiltersRepo
from zwitscher.db.repos.groups import GroupsRepo
from zwitscher.db.repos.identities import IdentitiesRepo
from zwitscher.db.repos.instance import InstanceSettingsRepo
from zwitscher.db.repos.interactions import InteractionsRepo
from zwitscher.db.repos.jobs import JobsRepo
from zwitscher.db.repos.known_browsers import KnownBrowsersRepo
from zwitscher.db.repos.legal_holds import LegalHoldsRepo
from zwitscher.db.repos.lists import ListsRepo
from zwitscher.db.repos.markers import MarkersRepo
from zwitscher.db.repos.media import MediaRepo
from zwitscher.db.repos.monitor_insights import MonitorInsightsRepo
from zwitscher.db.repos.monitors import MonitorsRepo
from zwitscher.db.repos.notification_filters import NotificationFiltersRepo
from zwitscher.db.repos.notifications import NotificationsRepo
from zwitscher.db.repos.oauth import OAuthRepo
from zwitscher.db.repos.pages import PagesRepo
from zwitscher.db.repos.people import PeopleRepo
from zwitscher.db.repos.polls import PollsRepo
from zwitscher.db.repos.press_accreditations import PressAccreditationsRepo
from zwitscher.db.repos.press_conferences import PressConferencesRepo
from zwitscher.db.repos.press_questions import PressQuestionsRepo
from zwitscher.db.repos.press_releases import NewsroomSubscribersRepo, PressReleasesRepo
from zwitscher.db.repos.preview_cards import PreviewCardsRepo
from zwitscher.db.repos.push import PushSubscriptionsRepo, ServerKeysRepo
from zwitscher.db.repos.quality import QualityRepo
from zwitscher.db.repos.relationships import RelationshipsRepo
from zwitscher.db.repos.removals import RemovalsRepo
from zwitscher.db.repos.reports import ReportsRepo
from zwitscher.db.repos.scheduled_statuses import ScheduledStatusesRepo
from zwitscher.db.repos.search import SearchRepo
from zwitscher.db.repos.second_factors import SecondFactorsRepo
from zwitscher.db.repos.security_keys import SecurityKeysRepo
from zwitscher.db.repos.statuses import StatusesRepo
from zwitscher.db.repos.stories import StoriesRepo
from zwitscher.db.repos.suggestions import SuggestionsRepo
from zwitscher.db.repos.tags import TagsRepo
from zwitscher.db.repos.trends import TrendsRepo
from zwitscher.db.repos.user_tokens import UserTokensRepo
from zwitscher.db.repos.web_sessions import WebSessionsRepo
from zwitscher.domain import feed_changes
from zwitscher.domain.channels import Event
from zwitscher.domain.feed_changes import FeedChange
from zwitscher.domain.jobs import Job
from zwitscher.media.store import MediaStore, create_media_store
from zwitscher.settings import Settings
from zwitscher.throttle import Throttle
from zwitscher.timelines.home import HomeFeedRepo

T = TypeVar("T")
R = TypeVar("R")
Publisher = Callable[[list[tuple[str, bytes]]], Awaitable[None]]
FeedChanges = Callable[[list[FeedChange]], Awaitable[None]]


@dataclass(slots=True)
class StreamEvent:
    channel: str
    message: bytes


class _Repository(Generic[R]):
    """A unit of work's repository, made when first used: a read uses two or three of the
    thirty-five, and making them all cost ~7 us per unit of work."""

    def __init__(self, kind: Callable[[AsyncConnection], R]) -> None:
        self.kind = kind

    def __set_name__(self, _owner: type, name: str) -> None:
        self.name = name

    def __get__(self, uow: UnitOfWork | None, _owner: type | None = None) -> R:
        if uow is None:
            return self
        repo = uow.__dict__[self.name] = self.kind(uow.conn)
        return repo


@dataclass
class UnitOfWork:
    conn: AsyncConnection
    settings: Settings
    # Files are no part of the transaction: new ones are stored before the rows naming them
    # commit, old ones deleted by a job after the rows are gone.
    media_store: MediaStore
    # The process's rendered statuses and accounts (`api.presenters.statuses`).
    caches: ReadCaches
    # Attempts counted per network address, e-mail address or account (`zwitscher.throttle`).
    throttle: Throttle
    events: list[StreamEvent] = field(default_factory=list)
    jobs_enqueued: int = 0

    accounts = _Repository(AccountsRepo)
    people = _Repository(PeopleRepo)
    instance_settings = _Repository(InstanceSettingsRepo)
    oauth = _Repository(OAuthRepo)
    relationships = _Repository(RelationshipsRepo)
    statuses = _Repository(StatusesRepo)
    interactions = _Repository(InteractionsRepo)
    notifications = _Repository(NotificationsRepo)
    home_feed = _Repository(HomeFeedRepo)
    jobs = _Repository(JobsRepo)
    groups = _Repository(GroupsRepo)
    audit = _Repository(AuditRepo)
    brands = _Repository(BrandsRepo)
    trends = _Repository(TrendsRepo)
    markers = _Repository(MarkersRepo)
    feeds = _Repository(FeedsRepo)
    quality = _Repository(QualityRepo)
    directory = _Repository(DirectoryRepo)
    media = _Repository(MediaRepo)
    polls = _Repository(PollsRepo)
    preview_cards = _Repository(PreviewCardsRepo)
    scheduled_statuses = _Repository(ScheduledStatusesRepo)
    search = _Repository(SearchRepo)
    domain_blocks = _Repository(DomainBlocksRepo)
    reports = _Repository(ReportsRepo)
    notification_filters = _Repository(NotificationFiltersRepo)
    lists = _Repository(ListsRepo)
    conversations = _Repository(ConversationsRepo)
    filters = _Repository(FiltersRepo)
    push_subscriptions = _Repository(PushSubscriptionsRepo)
    server_keys = _Repository(ServerKeysRepo)
    tags = _Repository(TagsRepo)
    endorsements = _Repository(EndorsementsRepo)
    account_notes = _Repository(AccountNotesRepo)
    suggestions = _Repository(SuggestionsRepo)
    announcements = _Repository(AnnouncementsRepo)
    custom_emojis = _Repository(CustomEmojisRepo)
    web_sessions = _Repository(WebSessionsRepo)
    user_tokens = _Repository(UserTokensRepo)
    identities = _Repository(IdentitiesRepo)
    second_factors = _Repository(SecondFactorsRepo)
    known_browsers = _Repository(KnownBrowsersRepo)
    security_keys = _Repository(SecurityKeysRepo)
    pages = _Repository(PagesRepo)
    account_deletions = _Repository(AccountDeletionsRepo)
    removals = _Repository(RemovalsRepo)
    archives = _Repository(ArchivesRepo)
    legal_holds = _Repository(LegalHoldsRepo)
    press_accreditations = _Repository(PressAccreditationsRepo)
    press_conferences = _Repository(PressConferencesRepo)
    press_questions = _Repository(PressQuestionsRepo)
    stories = _Repository(StoriesRepo)
    press_releases = _Repository(PressReleasesRepo)
    crises = _Repository(CrisesRepo)
    crisis_templates = _Repository(CrisisTemplatesRepo)
    contact_lists = _Repository(ContactListsRepo)
    newsroom_subscribers = _Repository(NewsroomSubscribersRepo)
    live_events = _Repository(EventsRepo)
    event_participants = _Repository(EventParticipantsRepo)
    event_posts = _Repository(EventPostsRepo)
    analytics = _Repository(AnalyticsRepo)
    follower_composition = _Repository(FollowerComposition)
    monitors = _Repository(MonitorsRepo)
    monitor_insights = _Repository(MonitorInsightsRepo)

    @contextlib.asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A part of the unit of work that, if it raises, rolls back alone: its rows, and the
        stream events, jobs and feed changes it noted."""
        events, jobs = len(self.events), self.jobs_enqueued
        changes = feed_changes.count(self.conn.info)
        try:
            async with self.conn.begin_nested():
                yield
        except BaseException:
            del self.events[events:]
            self.jobs_enqueued = jobs
            feed_changes.forget_after(self.conn.info, changes)
            raise

    def publish(self, channel: str, event: Event, payload: str | dict | None, **meta) -> None:
        """Send a streaming event on `channel` (named by `domain/channels.py`) once (and only
        if) the transaction commits."""
        self.events.append(StreamEvent(channel, orjson.dumps(
            {"event": event, "payload": payload, "meta": meta})))

    async def enqueue(self, job: Job, *, delay: timedelta | None = None) -> None:
        """Queue `job` (a kind from `domain/jobs.py`) in this transaction: it exists only if
        the transaction commits."""
        await self.jobs.enqueue(job.KIND, job.payload(), delay=delay)
        self.jobs_enqueued += 1


@dataclass(frozen=True, slots=True)
class _Noted:
    """What a unit of work's statements noted on its connection for after the commit."""

    caches: set[str]
    feeds: list[FeedChange]

    @classmethod
    def take(cls, info: dict[str, Any]) -> _Noted:
        return cls(stale_caches(info), feed_changes.noted(info))


class UnitsOfWork:
    """Opens units of work on a `Database` and runs their after-commit effects."""

    def __init__(self, database: Database, *, publisher: Publisher,
                 on_jobs_enqueued: Callable[[], None],
                 media_store: MediaStore | None = None,
                 on_feed_changes: FeedChanges | None = None) -> None:
        self.database = database
        self.settings = database.settings
        self.publisher = publisher
        self.on_jobs_enqueued = on_jobs_enqueued
        # Where committed changes to home feeds go (the feed id cache, if any), and whether
        # that store outlives this process (Redis; see `_before_commit`).
        self.on_feed_changes = on_feed_changes
        self.feeds_outlive_process = False
        self.media_store = media_store or create_media_store(database.settings)
        self.caches = ReadCaches.sized(statuses=self.settings.status_cache_size,
                                       accounts=self.settings.account_cache_size,
                                       viewers=self.settings.viewer_cache_size,
                                       max_age_seconds=self.settings.viewer_cache_seconds)
        self.throttle = Throttle()

    def _unit(self, conn: AsyncConnection) -> UnitOfWork:
        return UnitOfWork(conn, self.settings, self.media_store, self.caches, self.throttle)

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[UnitOfWork]:
        async with self.database.connection(write=False) as conn:
            yield self._unit(conn)

    async def read_at_once(self, read: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """`read(uow)` in one step (see `Database.read_at_once`): the way to present statuses.
        `read` may await nothing but the unit of work's repositories."""
        return await self.database.read_at_once(lambda conn: read(self._unit(conn)))

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[UnitOfWork]:
        async with self.database.connection(write=True) as conn:
            # What an earlier, rolled back unit of work noted on this connection.
            _Noted.take(conn.info)
            uow = self._unit(conn)
            yield uow
            noted = _Noted.take(conn.info)
            await self._before_commit(noted)
        await self._committed(uow, noted)

    async def write_at_once(self, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """`work(uow)` in one transaction and one step (see `Database.write_at_once`), with
        the effects of `write` once it commits. `work` may await nothing but the unit of
        work's repositories."""

        async def unit(conn) -> tuple[T, UnitOfWork, _Noted]:
            _Noted.take(conn.info)
            uow = self._unit(conn)
            result = await work(uow)
            noted = _Noted.take(conn.info)
            await self._before_commit(noted)
            return result, uow, noted

        result, uow, noted = await self.database.write_at_once(unit)
        await self._committed(uow, noted)
        return result

    async def _before_commit(self, noted: _Noted) -> None:
        """A feed store that outlives this process hears of the feed changes before the commit
        as well as after it: a process killed in between (a fan-out committed, its job row
        gone) would otherwise leave the feeds the store holds without them until they expire.
        Hearing twice does no harm (a change adds ids or drops feeds), and the second time
        stops a load that read before the commit from being kept. Not on SQLite: its writes
        run at once and may await nothing but the database."""
        if noted.feeds and self.feeds_outlive_process and self.on_feed_changes is not None \
                and not self.database.is_sqlite:
            await self.on_feed_changes(noted.feeds)

    async def _committed(self, uow: UnitOfWork, noted: _Noted) -> None:
        """Committed: now the effects may be seen."""
        if noted.feeds and self.on_feed_changes is not None:
            await self.on_feed_changes(noted.feeds)
        if noted.caches:
            self.caches.forget(noted.caches)
            uow.events.append(StreamEvent(caches.CHANNEL, orjson.dumps(sorted(noted.caches))))
        if uow.events:
            await self.publisher([(event.channel, event.message) for event in uow.events])
        if uow.jobs_enqueued:
            self.on_jobs_enqueued()
