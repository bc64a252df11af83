"""What analytics count, and the arithmetic of periods, buckets and privacy (pure).

Subjects: an account (a person or a brand account), a group, the organisation (the instance,
subject id 0). Metrics are named here and nowhere else; what each counts is documented in
docs/analytics.md. Response times to mentions are kept as a sum, a count and a coarse
histogram (`RESPONSE_BOUNDS`), so a median can be shown as the bucket it falls in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum


class Subject(StrEnum):
    ACCOUNT = "account"
    GROUP = "group"
    INSTANCE = "instance"


INSTANCE_ID = 0


class Metric(StrEnum):
    POSTS = "posts"
    DELIVERIES = "deliveries"
    LIVE_DELIVERIES = "live_deliveries"
    REPLIES = "replies"
    BOOSTS = "boosts"
    FAVOURITES = "favourites"
    LINK_CLICKS = "link_clicks"
    FOLLOWERS_GAINED = "followers_gained"
    FOLLOWERS_LOST = "followers_lost"
    MENTIONS = "mentions"
    MENTIONS_ANSWERED = "mentions_answered"
    RESPONSE_SECONDS = "response_seconds"


# Upper bounds (seconds) of the response time histogram's buckets; the last is open.
RESPONSE_BOUNDS = (15 * 60, 60 * 60, 4 * 3600, 24 * 3600, 3 * 24 * 3600)


def response_bucket_metric(seconds: float) -> str:
    """The histogram metric a response time of `seconds` counts in."""
    for bound in RESPONSE_BOUNDS:
        if seconds <= bound:
            return f"response_le_{bound}"
    return "response_gt_last"


RESPONSE_BUCKETS = tuple(f"response_le_{bound}" for bound in RESPONSE_BOUNDS) + (
    "response_gt_last",)

# What each kind of subject shows, in order.
SHOWN = {
    Subject.ACCOUNT: (Metric.POSTS, Metric.DELIVERIES, Metric.LIVE_DELIVERIES, Metric.REPLIES,
                      Metric.BOOSTS, Metric.FAVOURITES, Metric.LINK_CLICKS,
                      Metric.FOLLOWERS_GAINED, Metric.FOLLOWERS_LOST, Metric.MENTIONS,
                      Metric.MENTIONS_ANSWERED),
    Subject.GROUP: (Metric.POSTS, Metric.DELIVERIES, Metric.LIVE_DELIVERIES, Metric.REPLIES,
                    Metric.BOOSTS, Metric.FAVOURITES, Metric.LINK_CLICKS),
    Subject.INSTANCE: (Metric.POSTS, Metric.DELIVERIES, Metric.LIVE_DELIVERIES, Metric.REPLIES,
                       Metric.BOOSTS, Metric.FAVOURITES, Metric.LINK_CLICKS,
                       Metric.FOLLOWERS_GAINED, Metric.FOLLOWERS_LOST, Metric.MENTIONS,
                       Metric.MENTIONS_ANSWERED),
}


def hour_of(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def day_of(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


class Interval(StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


MAX_RANGE_DAYS = 3 * 366
MAX_HOURLY_DAYS = 31


@dataclass(frozen=True, slots=True)
class Period:
    """Whole UTC days `first` .. `last` (both included)."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), UTC)

    @property
    def end(self) -> datetime:
        """Exclusive."""
        return datetime.combine(self.last + timedelta(days=1), time(), UTC)

    def previous(self) -> Period:
        """The period of the same length just before."""
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))


def bucket_of(moment: datetime, interval: Interval) -> datetime:
    """The start of the `interval` bucket `moment` falls in (weeks start on Monday)."""
    if interval is Interval.HOUR:
        return hour_of(moment)
    day = day_of(moment)
    if interval is Interval.WEEK:
        return day - timedelta(days=day.weekday())
    if interval is Interval.MONTH:
        return day.replace(day=1)
    return day


def buckets(period: Period, interval: Interval) -> list[datetime]:
    """Every bucket start of `period`, oldest first (the first may begin before it)."""
    found: list[datetime] = []
    step = timedelta(hours=1) if interval is Interval.HOUR else timedelta(days=1)
    moment = period.start
    while moment < period.end:
        start = bucket_of(moment, interval)
        if not found or found[-1] != start:
            found.append(start)
        moment += step
    return found


def median_bucket(histogram: dict[str, int]) -> str | None:
    """The histogram bucket holding the median response, or None without responses."""
    total = sum(histogram.get(name, 0) for name in RESPONSE_BUCKETS)
    if not total:
        return None
    seen = 0
    for name in RESPONSE_BUCKETS:
        seen += histogram.get(name, 0)
        if seen * 2 >= total:
            return name
    return RESPONSE_BUCKETS[-1]


def shown_count(count: int, minimum: int) -> int | None:
    """A count of people as it may be shown: None ("fewer than `minimum`") below the minimum.
    Zero is shown as zero: nobody is singled out by it."""
    return count if count == 0 or count >= minimum else None
