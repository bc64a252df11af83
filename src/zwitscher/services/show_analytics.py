"""Analytics of an account, a group or the organisation over a period, with the previous
period of the same length for comparison (docs/analytics.md).

Read from the daily buckets (the hourly ones for an hourly series, at most 31 days) and the
events not rolled up yet, in one statement. Follower composition is counted now, from the
follows, and shown only as the privacy rules allow (`domain.analytics.shown_count`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.analytics import (
    MAX_HOURLY_DAYS,
    MAX_RANGE_DAYS,
    RESPONSE_BUCKETS,
    SHOWN,
    Interval,
    Metric,
    Period,
    Subject,
    bucket_of,
    buckets,
    median_bucket,
    shown_count,
)
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound, ValidationFailed
from zwitscher.domain.roles import Actor, Role
from zwitscher.policies.analytics import may_read_analytics
from zwitscher.services.roll_up_analytics import hourly_kept_since

DEFAULT_DAYS = 30


@dataclass(frozen=True, slots=True)
class Responses:
    answered: int
    seconds: int
    histogram: dict[str, int]

    @property
    def average_seconds(self) -> float | None:
        return self.seconds / self.answered if self.answered else None

    @property
    def median(self) -> str | None:
        return median_bucket(self.histogram)


@dataclass(frozen=True, slots=True)
class GroupShare:
    group_id: int
    name: str
    press: bool
    followers: int


@dataclass(frozen=True, slots=True)
class Followers:
    """Counts of people; None: fewer than `minimum` (or withheld, as it would tell such a
    number by difference)."""

    total: int
    members: int | None
    guests: int | None
    groups: list[GroupShare]
    minimum: int


@dataclass(frozen=True, slots=True)
class Report:
    kind: Subject
    subject_id: int
    name: str
    period: Period
    previous: Period
    interval: Interval
    metrics: tuple[Metric, ...]
    series: list[tuple[datetime, dict[str, int]]]
    totals: dict[str, int]
    previous_totals: dict[str, int]
    responses: Responses | None
    previous_responses: Responses | None
    followers: Followers | None


def parse_period(first: str | None, last: str | None, interval: str | None, *,
                 today: date | None = None) -> tuple[Period, Interval]:
    """The period and interval asked for; by default the last 30 days, by day."""
    today = today or utcnow().date()
    try:
        chosen = Interval(interval or "day")
    except ValueError:
        raise ValidationFailed("Unknown interval %(interval)s: hour, day, week or month",
                               interval=str(interval)[:20]) from None
    end = _date(last, "to") if last else today
    start = _date(first, "from") if first else end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ValidationFailed("The period ends before it begins")
    period = Period(start, end)
    if period.days > MAX_RANGE_DAYS:
        raise ValidationFailed("A period may be at most %(days)s days long", days=MAX_RANGE_DAYS)
    if chosen is Interval.HOUR and period.days > MAX_HOURLY_DAYS:
        raise ValidationFailed("Hourly numbers cover at most %(days)s days",
                               days=MAX_HOURLY_DAYS)
    return period, chosen


def _date(text: str, name: str) -> date:
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed("%(name)s is no date (YYYY-MM-DD)", name=name) from None
    if not 1900 <= value.year <= 9998:
        raise ValidationFailed("%(name)s is no date (YYYY-MM-DD)", name=name)
    return value


async def show_analytics(uow: UnitOfWork, *, actor: Actor, kind: Subject, subject_id: int,
                         period: Period, interval: Interval) -> Report:
    """NotFound for a subject the actor may not read (or that does not exist); hours before
    the hourly buckets kept are refused."""
    if not await may_read_analytics(uow, actor=actor, kind=kind, subject_id=subject_id):
        raise NotFound()
    if interval is Interval.HOUR and period.start < (kept := hourly_kept_since(uow.settings)):
        # Their hourly buckets are gone: zeros would look like a quiet time.
        raise ValidationFailed("Numbers by hour begin on %(date)s", date=kept.date().isoformat())
    name = await _name(uow, kind, subject_id)
    previous = period.previous()
    rows = await uow.analytics.sums(kind=kind.value, subject_id=subject_id,
                                    start=period.start, end=period.end,
                                    hourly=interval is Interval.HOUR)
    then_totals = await uow.analytics.totals(kind=kind.value, subject_id=subject_id,
                                             start=previous.start, end=previous.end)
    now_totals: dict[str, int] = defaultdict(int)
    by_bucket: dict[datetime, dict[str, int]] = {start: defaultdict(int)
                                                 for start in buckets(period, interval)}
    bucket_for: dict[datetime, dict[str, int]] = {}  # a year by day: 366 starts, 6,000 rows
    for metric, start, value in rows:
        now_totals[metric] += value
        if (counts := bucket_for.get(start)) is None:
            counts = bucket_for[start] = by_bucket[bucket_of(start, interval)]
        counts[metric] += value
    metrics = SHOWN[kind]
    series = [(start, {m.value: values.get(m.value, 0) for m in metrics})
              for start, values in by_bucket.items()]
    answers = Metric.MENTIONS_ANSWERED in metrics
    return Report(
        kind=kind, subject_id=subject_id, name=name, period=period, previous=previous,
        interval=interval, metrics=metrics, series=series,
        totals={m.value: now_totals.get(m.value, 0) for m in metrics},
        previous_totals={m.value: then_totals.get(m.value, 0) for m in metrics},
        responses=_responses(now_totals) if answers else None,
        previous_responses=_responses(then_totals) if answers else None,
        followers=await _followers(uow, subject_id) if kind is Subject.ACCOUNT else None)


async def _name(uow: UnitOfWork, kind: Subject, subject_id: int) -> str:
    if kind is Subject.ACCOUNT:
        account = await uow.accounts.get(subject_id)
        if account is None:
            raise NotFound()
        return account.display_name or account.username
    if kind is Subject.GROUP:
        return (await uow.groups.get(subject_id)).name
    return ""  # the organisation: the page and the export name it themselves


def _responses(totals: dict[str, int]) -> Responses:
    return Responses(answered=totals.get(Metric.MENTIONS_ANSWERED.value, 0),
                     seconds=totals.get(Metric.RESPONSE_SECONDS.value, 0),
                     histogram={name: totals.get(name, 0) for name in RESPONSE_BUCKETS})


async def _followers(uow: UnitOfWork, account_id: int) -> Followers:
    """Members and guests are shown only if both may be: the total is public (the profile's
    followers count), so one of them and the total would tell the other."""
    minimum = uow.settings.analytics_minimum_people
    roles = await uow.follower_composition.by_role(account_id)
    guests = roles.get(Role.GUEST.value, 0)
    members = sum(roles.values()) - guests
    members_shown, guests_shown = shown_count(members, minimum), shown_count(guests, minimum)
    if members_shown is None or guests_shown is None:
        members_shown = guests_shown = None
    shares = [GroupShare(row.id, row.name, row.press, row.n)
              for row in await uow.follower_composition.by_group(account_id)
              if shown_count(row.n, minimum) is not None]
    return Followers(total=await uow.follower_composition.total(account_id),
                     members=members_shown, guests=guests_shown, groups=shares,
                     minimum=minimum)
