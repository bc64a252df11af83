"""Spike alerts: a recurring job that asks the spike rule (`domain/spikes.py`) whether the
last 60 minutes of a monitor hold unusually many matches, for every monitor with matches in
them, and alerts once per spike (docs/monitoring.md, "Spike alerts").

The 60 minutes slide with each run rather than following the clock's hours: a burst that
straddles an hour's turn is counted whole, not split into two halves that each stay below the
threshold. They are counted from the matches themselves (by status id, which begins with the
time of posting: a range of the primary key), the rule's history from the hourly counts
before the hour the 60 minutes begin in.

A spike alerts when it is first found; while later runs go on finding one (each window
overlapping the last spiking one), nothing more is sent. The state lives in
`monitor_spike_state`, changed only where it is still what this run read, so two runs at
once alert once. Runs every `monitor_spike_check_seconds` (5 minutes by default).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.jobs import CheckMonitorSpikes
from zwitscher.domain.spikes import DAYS, HOUR, WEEKS, SpikeCheck, check_spike
from zwitscher.services.queue_monitor_alert import SPIKE, MonitorAlert, queue_monitor_alert

WINDOW = timedelta(minutes=60)
# The history the rule reads: a week of days and four weeks of weekdays, and an hour more.
HISTORY = max(timedelta(days=DAYS), timedelta(weeks=WEEKS)) + HOUR


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def spike_counts(check: SpikeCheck, *, since: datetime, until: datetime) -> dict:
    """What a spike alert carries (its e-mail, push and webhook)."""
    return {"matches": check.count, "usual": check.usual, "threshold": check.threshold,
            "reference": check.reference, "since": _iso(since), "until": _iso(until)}


async def check_monitor_spikes(uow: UnitOfWork) -> int:
    """Check the 60 minutes up to now; returns the spike alerts queued."""
    now = utcnow()
    since = now - WINDOW
    hour = since.replace(minute=0, second=0, microsecond=0)
    insights = uow.monitor_insights
    candidates = {counted.monitor_id for start in (hour, hour + HOUR)
                  for counted in await insights.counted_in(start)}
    alerted = 0
    for monitor_id in sorted(candidates):
        count = await insights.matches_since(monitor_id, since)
        alerted += await _check(uow, monitor_id, hour=hour, now=now, count=count)
    return alerted


async def _check(uow: UnitOfWork, monitor_id: int, *, hour: datetime, now: datetime,
                 count: int) -> int:
    insights = uow.monitor_insights
    state = await insights.spike_state(monitor_id)
    last = state.spiking_through if state is not None else None
    if last is not None and last >= now:
        return 0  # a run at the same moment or later has decided
    since = await insights.counting_since(monitor_id)
    if since is None:
        return 0
    history = await insights.history(monitor_id, since=hour - HISTORY, before=hour)
    check = check_spike(hour=hour, count=count, history=history, since=since)
    if not check.is_spike:
        return 0
    going_on = last is not None and last > now - WINDOW
    if not await insights.note_spike(monitor_id, at=now, alerted=not going_on,
                                     previous=state) or going_on:
        return 0
    monitor = await uow.monitors.get(monitor_id)
    if monitor is None:
        return 0
    counts = spike_counts(check, since=now - WINDOW, until=now)
    await queue_monitor_alert(uow, monitor=monitor, alert=MonitorAlert(kind=SPIKE, counts=counts))
    return 1


async def run_spike_check(uow: UnitOfWork) -> None:
    """The recurring job: check, then queue the next run."""
    await check_monitor_spikes(uow)
    await uow.enqueue(CheckMonitorSpikes(),
                      delay=timedelta(seconds=uow.settings.monitor_spike_check_seconds))


async def schedule_spike_checks(uow: UnitOfWork) -> None:
    """Start the round unless one is under way (every process that runs jobs asks at start)."""
    if not await uow.jobs.pending(CheckMonitorSpikes.KIND):
        await uow.enqueue(CheckMonitorSpikes())
