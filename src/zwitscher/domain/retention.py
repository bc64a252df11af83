"""Retention policies: per visibility, how long the organisation keeps statuses
(docs/data-rights.md).

An admin gives a maximum age in days for any of the six visibilities, or none (kept for ever).
Days may have a fraction (0.5 is twelve hours): the policy is stored in whole seconds, which is
what the job compares. A status is past its policy once it is older than its visibility's
maximum age; the job (`services/apply_retention.py`) deletes those, except what it must keep
(pinned posts, legal holds), which is no part of these rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.visibility import Visibility

DAY = 86_400
# A hundred years: beyond that a policy keeps everything anyway.
MAX_DAYS = 36_500


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """Maximum ages in seconds by visibility (its stored name); a visibility not named is
    kept for ever."""

    max_age_seconds: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def stored(cls, value: object) -> RetentionPolicy:
        """The policy as an instance setting holds it; what does not fit the rules (written
        by another version) is left out, never guessed."""
        if not isinstance(value, dict):
            return cls()
        return cls({name: seconds for name, seconds in value.items()
                    if name in set(Visibility) and isinstance(seconds, int)
                    and not isinstance(seconds, bool) and 0 < seconds <= MAX_DAYS * DAY})

    @classmethod
    def from_days(cls, days: Mapping[str, str]) -> RetentionPolicy:
        """From the console's form: a number of days per visibility, empty for none."""
        unknown = sorted(set(days) - set(Visibility))
        if unknown:
            raise ValidationFailed("There is no visibility %(name)s", name=unknown[0])
        ages = {}
        for name, text in days.items():
            seconds = seconds_of_days(text)
            if seconds is not None:
                ages[name] = seconds
        return cls(ages)

    def stored_value(self) -> dict[str, int]:
        return {name: self.max_age_seconds[name] for name in Visibility
                if name in self.max_age_seconds}

    def days(self) -> dict[str, str]:
        """What the console's form shows: days per visibility, empty for none."""
        return {name: days_of_seconds(self.max_age_seconds[name])
                if name in self.max_age_seconds else "" for name in Visibility}

    def cutoffs(self, now: datetime) -> dict[str, datetime]:
        """Per visibility with a policy: statuses created before this moment are past it."""
        return {name: now - timedelta(seconds=seconds)
                for name, seconds in self.stored_value().items()}

    def is_past(self, *, visibility: str, created_at: datetime, now: datetime) -> bool:
        cutoff = self.cutoffs(now).get(visibility)
        return cutoff is not None and created_at < cutoff


def seconds_of_days(text: str) -> int | None:
    """"30" is 2,592,000 seconds, "0.5" is 43,200; empty is no policy. A fraction of a second
    is rounded, but never down to nothing."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        days = Decimal(text)
    except InvalidOperation:
        raise ValidationFailed("Give the days as a number, e.g. 30 or 0.5") from None
    if not days.is_finite() or days <= 0 or days > MAX_DAYS:
        raise ValidationFailed("Give more than 0 and at most %(maximum)s days",
                               maximum=MAX_DAYS)
    return max(1, round(days * DAY))


def days_of_seconds(seconds: int) -> str:
    """30 days as "30", twelve hours as "0.5": no trailing zeros, no exponent."""
    days = (Decimal(seconds) / DAY).quantize(Decimal("0.000001")).normalize()
    return format(days, "f")
