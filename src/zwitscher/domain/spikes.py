"""The spike rule: are a monitor's matches of the last 60 minutes unusually many? (pure)

A monitor's history is its hourly match counts since it began counting (``since``); an hour
with no entry had no match. The 60 minutes are counted whatever minute they begin at (a burst
across the turn of an hour is not split in two), and compared with reference hours from that
history, taken around the hour they begin in:

- the **same hour, and the hours just before and after it, on each of the last 7 days** (daily
  rhythm: mornings busier than nights; 21 hours make a steadier median than 7), and
- the **same hour on the same weekday of the last 4 weeks**, from the first one on (weekly
  rhythm: a Monday-morning peak is not a spike on Mondays; the price is that a spike one week
  ago raises the bar for the same hour a week later).

For each reference set the baseline is the median (one past spike does not raise it) and the
spread is the median absolute deviation scaled by 1.4826 (like a standard deviation for normal
data), but never below the square root of the baseline (counts are roughly Poisson: a
baseline of 4 wanders by about 2 even when the history happens to be flat) nor below 1. The
threshold of a set is ``baseline + K * spread``; the hour is a spike when its count reaches
``max(MIN_COUNT, the highest threshold)``. The baseline reported ("usually 4") is the one of
the set that gave that threshold.

A monitor with little history: until it has counted for ``MIN_HISTORY`` (24 hours) it never
spikes (its matches still alert one by one). Until it has 3 days for the same-hour set, every
hour it has counted is the reference, and since day and night are then mixed in one baseline,
a spike must also reach ``SHORT_FACTOR`` (2) times the busiest hour seen so far.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

K = 6.0
MIN_COUNT = 10
SHORT_FACTOR = 2.0
MIN_HISTORY = timedelta(hours=24)
MAD_SCALE = 1.4826
DAYS = 7
WEEKS = 4
MIN_DAILY = 3
MIN_WEEKLY = 1
HOUR = timedelta(hours=1)
NEIGHBOURS = (-1, 0, 1)  # the hour before and after on each day join the same-hour set


@dataclass(frozen=True, slots=True)
class SpikeCheck:
    """``baseline`` is the usual count for an hour at this time, ``threshold`` the count that
    would have been a spike; ``reference`` names the rule used: "same hour" (daily), "same weekday"
    (weekly), "all hours" (short history) or "too little history"."""

    is_spike: bool
    count: int
    baseline: float
    spread: float
    threshold: float
    reference: str

    @property
    def usual(self) -> int:
        return round(self.baseline)


def check_spike(*, hour: datetime, count: int, history: Mapping[datetime, int],
                since: datetime) -> SpikeCheck:
    """Whether ``count`` matches in 60 minutes beginning in the hour ``hour`` are a spike.

    ``history`` maps hour starts (before ``hour``: the hours the 60 minutes overlap are not
    their own reference) to counts; ``since`` is when the monitor began counting (hours
    before it are not zeros, they are unknown).
    """
    hour = _hour(hour)
    since = _hour(since)
    counts = {_hour(moment): value for moment, value in history.items()}

    def at(moment: datetime) -> int:
        return counts.get(moment, 0)

    if hour - since < MIN_HISTORY:
        return SpikeCheck(False, count, 0.0, 0.0, math.inf, "too little history")
    daily = [at(hour - timedelta(days=n) + shift * HOUR) for n in range(1, DAYS + 1)
             for shift in NEIGHBOURS if hour - timedelta(days=n) + shift * HOUR >= since]
    weekly = [at(hour - timedelta(weeks=n)) for n in range(1, WEEKS + 1)
              if hour - timedelta(weeks=n) >= since]
    candidates = []
    if len(daily) >= MIN_DAILY * len(NEIGHBOURS):
        candidates.append(_threshold("same hour", daily))
        if len(weekly) >= MIN_WEEKLY:
            candidates.append(_threshold("same weekday", weekly))
    else:
        hours = int(min(hour - since, timedelta(days=DAYS)) / HOUR)
        values = [at(hour - n * HOUR) for n in range(1, hours + 1)]
        name, baseline, spread, threshold = _threshold("all hours", values)
        candidates.append((name, baseline, spread, max(threshold, SHORT_FACTOR * max(values))))
    best = max(candidates, key=lambda found: found[3])
    name, baseline, spread, threshold = best
    threshold = max(float(MIN_COUNT), threshold)
    return SpikeCheck(count >= threshold, count, baseline, spread, round(threshold, 2), name)


def _threshold(name: str, values: list[int]) -> tuple[str, float, float, float]:
    baseline = float(statistics.median(values))
    mad = float(statistics.median(abs(value - baseline) for value in values))
    spread = max(MAD_SCALE * mad, math.sqrt(baseline), 1.0)
    return name, baseline, round(spread, 3), baseline + K * spread


def _hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)
