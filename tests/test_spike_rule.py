"""The spike rule for monitors, on generated hourly series: a known spike is found, and
daily and weekly rhythms, slow growth, silence and a young monitor raise no alarm."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwitscher.domain.spikes import MIN_COUNT, check_spike

pytestmark = pytest.mark.engine_independent

START = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
HOUR = timedelta(hours=1)


def series(expected, hours: int, seed: int = 7) -> dict[datetime, int]:
    """Poisson-like counts around ``expected(moment)`` for ``hours`` hours from START."""
    rng = random.Random(seed)
    out = {}
    for n in range(hours):
        moment = START + n * HOUR
        mean = expected(moment)
        out[moment] = sum(1 for _ in range(int(mean * 4)) if rng.random() < 0.25)
    return out


def spikes(counts: dict[datetime, int], since: datetime = START) -> list[datetime]:
    found = []
    for moment in sorted(counts):
        history = {m: c for m, c in counts.items() if m < moment}
        if check_spike(hour=moment, count=counts[moment], history=history,
                       since=since).is_spike:
            found.append(moment)
    return found


def office_hours(moment: datetime) -> float:
    """A brand's mentions: busy on weekday afternoons, quiet at night and at weekends."""
    if moment.weekday() >= 5:
        return 2
    return 8 if 8 <= moment.hour < 18 else 1


def test_a_known_spike_is_found_and_nothing_else_fires():
    counts = series(office_hours, 24 * 21)
    spike_at = START + timedelta(days=17, hours=14)
    counts[spike_at] = 37
    assert spikes(counts) == [spike_at]


def test_the_alert_can_say_how_many_and_what_is_usual():
    counts = series(lambda _: 4, 24 * 10)
    hour = START + timedelta(days=10)
    result = check_spike(hour=hour, count=37, history=counts, since=START)
    assert result.is_spike
    assert (result.count, result.usual) == (37, 4)
    assert result.threshold <= 37


def test_a_weekly_rhythm_raises_no_alarm():
    def monday_mornings(moment: datetime) -> float:
        return 30 if moment.weekday() == 0 and 8 <= moment.hour < 11 else 2

    assert spikes(series(monday_mornings, 24 * 35)) == []


def test_slow_growth_raises_no_alarm():
    assert spikes(series(lambda m: 2 + (m - START) / timedelta(days=3), 24 * 28)) == []


def test_a_silent_monitor_raises_no_alarm_and_its_first_matches_are_no_spike():
    counts = {START + n * HOUR: 0 for n in range(24 * 10)}
    assert spikes(counts) == []
    result = check_spike(hour=START + timedelta(days=10), count=MIN_COUNT - 1, history=counts,
                         since=START)
    assert not result.is_spike


def test_a_monitor_with_a_single_hour_of_history_never_spikes():
    result = check_spike(hour=START + HOUR, count=500, history={START: 3}, since=START)
    assert not result.is_spike
    assert result.reference == "too little history"


def test_a_monitor_two_days_old_finds_a_clear_spike_but_not_its_daily_rhythm():
    counts = series(office_hours, 24 * 2 + 10)
    assert spikes(counts) == []
    hour = START + timedelta(days=2, hours=11)
    result = check_spike(hour=hour, count=60, history=counts, since=START)
    assert result.is_spike and result.reference == "all hours"


def test_hours_before_the_monitor_existed_are_not_counted_as_quiet():
    since = START + timedelta(days=6)
    counts = {since + n * HOUR: 6 for n in range(24 * 2)}
    result = check_spike(hour=since + timedelta(days=2), count=9, history=counts, since=since)
    assert not result.is_spike
    assert result.usual == 6


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.integers(0, 1000), min_size=0, max_size=24 * 10),
       count=st.integers(0, 5000))
def test_any_history_gives_a_decision_consistent_with_its_threshold(values, count):
    history = {START + n * HOUR: value for n, value in enumerate(values)}
    hour = START + len(values) * HOUR
    result = check_spike(hour=hour, count=count, history=history, since=START)
    assert result.is_spike == (count >= result.threshold)
    assert result.threshold >= MIN_COUNT
