"""Spike alerts: a recurring job that asks the spike rule (`domain/spikes.py`) about every
monitor with matches in the current hour (and in the hour just ended, so an hour's last
minutes count too), and alerts once per spike (docs/monitoring.md, "Spike alerts").

A spike alerts when its first hour is found spiking; while the following hours go on
spiking (each directly after the last one found), nothing more is sent. The state lives in
`monitor_spike_state`, changed only where it is still what this run read, so two runs at
once alert once. Runs every `monitor_spike_check_seconds` (5 minutes by default).
"""

from __future__ import annotations

from datetime import timedelta

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.jobs import CheckMonitorSpikes
from zwitscher.domain.spikes import DAYS, HOUR, WEEKS, SpikeCheck, check_spike
from zwitscher.services.queue_monitor_alert import SPIKE, MonitorAlert, queue_monitor_alert

# The history the rule reads: a week of days and four weeks of weekdays, and an hour more.
HISTORY = max(timedelta(days=DAYS), timedelta(weeks=WEEKS)) + HOUR


def spike_counts(check: SpikeCheck, hour) -> dict:
    """What a spike alert carries (its e-mail, push and webhook)."""
    return {"matches": check.count, "usual": check.usual, "threshold": check.threshold,
            "reference": check.reference,
            "hour": hour.isoformat().replace("+00:00", "Z")}


async def check_monitor_spikes(uow: UnitOfWork) -> int:
    """Check the current and the previous hour; returns the spike alerts queued."""
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    alerted = 0
    for hour in (now - HOUR, now):
        for counted in await uow.monitor_insights.counted_in(hour):
            alerted += await _check(uow, counted.monitor_id, hour, counted.matches)
    return alerted


async def _check(uow: UnitOfWork, monitor_id: int, hour, count: int) -> int:
    insights = uow.monitor_insights
    state = await insights.spike_state(monitor_id)
    if state is not None and state.spiking_through is not None \
            and state.spiking_through >= hour:
        return 0  # this hour was found spiking already
    since = await insights.counting_since(monitor_id)
    if since is None:
        return 0
    history = await insights.history(monitor_id, since=hour - HISTORY, before=hour)
    check = check_spike(hour=hour, count=count, history=history, since=since)
    if not check.is_spike:
        return 0
    going_on = state is not None and state.spiking_through == hour - HOUR
    if not await insights.note_spike(monitor_id, hour=hour, alerted=not going_on,
                                     previous=state) or going_on:
        return 0
    monitor = await uow.monitors.get(monitor_id)
    if monitor is None:
        return 0
    await queue_monitor_alert(uow, monitor=monitor,
                              alert=MonitorAlert(kind=SPIKE, counts=spike_counts(check, hour)))
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
