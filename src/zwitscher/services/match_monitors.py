"""Match a new or edited post against every monitor at once, store the matches, and alert.

Runs in the fan-out job of a new post and in the announcement job of an edit. The matcher
(`domain/monitors.py: MonitorIndex`) is built once per process over all monitors and kept
while the monitors' version in the database (bumped by every change of a monitor, in its
transaction) stays the one it was built from; so each web and worker process rebuilds it
after any change anywhere, before it matches its next post.

A match is stored only where its monitor may hold the post: a person's monitor what the
person may see; a team monitor public, unlisted and internal posts and posts addressed to the
team's group (or a group above it). Every read filters again per reader. Each newly stored
match goes to the monitor's live stream and its alerts (`services/queue_monitor_alert.py`). An
edit that no longer matches removes the match (and tells the stream).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.channels import Event, monitor_channel
from zwitscher.domain.clock import utcnow
from zwitscher.domain.filters import searchable_text
from zwitscher.domain.monitors import MonitorIndex, Post, query_of
from zwitscher.domain.visibility import Visibility
from zwitscher.services.queue_monitor_alert import MonitorAlert, queue_monitor_alert
from zwitscher.services.record_monitor_insights import (
    record_monitor_insights,
    sentiment_columns,
)

_TEAM_READS = frozenset({Visibility.PUBLIC.value, Visibility.UNLISTED.value,
                         Visibility.INTERNAL.value})


@dataclass(slots=True)
class _Built:
    version: int | None = None
    index: MonitorIndex = field(default_factory=MonitorIndex)


# This process's matcher, and the version of the monitors it was built from.
_built = _Built()


async def current_index(uow: UnitOfWork) -> MonitorIndex:
    version = await uow.monitors.version()
    if version != _built.version:
        rows = await uow.monitors.queries()
        index = MonitorIndex.build({row.id: query_of(row) for row in rows})
        _built.version, _built.index = version, index
    return _built.index


async def match_monitors(uow: UnitOfWork, *, status: sa.Row, edited: bool = False) -> None:
    index = await current_index(uow)
    if not index.size or status.reblog_of_id is not None:
        return  # a boost is no new post: the boosted one was matched when it was posted
    found = index.match(await _post(uow, status, index))
    previous = await uow.monitors.matched(status.id) if edited else {}
    keep: dict[int, tuple[str, ...]] = {}
    monitors: dict[int, sa.Row] = {}
    if found:
        monitors = await uow.monitors.holders(list(found))
        holding = await _holding(uow, list(monitors.values()), status)
        keep = {monitor_id: terms for monitor_id, terms in found.items()
                if monitor_id in holding}
    gone = [monitor_id for monitor_id in previous if monitor_id not in keep]
    await uow.monitors.remove_matches(status.id, gone)
    for monitor_id in gone:
        uow.publish(monitor_channel(monitor_id), Event.DELETE, str(status.id),
                    status_id=status.id)
    if keep:
        sentiment = sentiment_columns(status)
        new = await uow.monitors.add_matches(status.id, keep, stored=previous, at=utcnow(),
                                             sentiment=sentiment)
        await record_monitor_insights(uow, status=status, new=new, edited=edited,
                                      sentiment=sentiment)
    else:
        new = []
    for monitor_id in keep:
        event = Event.UPDATE if monitor_id in new else Event.STATUS_UPDATE
        uow.publish(monitor_channel(monitor_id), event, None, status_id=status.id)
    for monitor_id in new:
        await queue_monitor_alert(uow, monitor=monitors[monitor_id],
                                  alert=MonitorAlert(kind="match", status_ids=(status.id,)))


async def _post(uow: UnitOfWork, status: sa.Row, index: MonitorIndex) -> Post:
    """What the post is matched on; only what some monitor asks about is read."""
    text = ""
    if index.automaton is not None:
        media = await uow.media.of_status(status.id)
        text = searchable_text(text=status.text, spoiler_text=status.spoiler_text,
                               media_descriptions=[m.description for m in media
                                                   if m.description])
    hashtags = tuple(tag.lower() for tag in (await uow.statuses.tags_of([status.id])).get(
        status.id, ())) if index.hashtags else ()
    group_ids = tuple(await uow.statuses.group_ids_of(status.id)) \
        if index.groups and status.visibility == Visibility.GROUP.value else ()
    return Post(text=text, language=status.language, hashtags=hashtags,
                account_id=status.account_id, group_ids=group_ids)


async def _holding(uow: UnitOfWork, monitors: list[sa.Row], status: sa.Row) -> set[int]:
    """Those of the monitors that may hold the post, asked together: one visibility query
    for all the people owning them (not one per monitor), the team rule once per post."""
    held: set[int] = set()
    owners = {monitor.owner_id for monitor in monitors if monitor.owner_id is not None}
    seeing = await uow.monitors.owners_seeing(status.id, list(owners)) if owners else set()
    teams = [monitor for monitor in monitors if monitor.owner_id is None]
    team_groups: set[int] = set()
    if teams and status.visibility == Visibility.GROUP.value:
        # A post to a group is for the teams of that group and of the groups below it.
        for group_id in await uow.statuses.group_ids_of(status.id):
            team_groups.update(await uow.groups.descendant_ids(group_id))
    for monitor in monitors:
        if monitor.owner_id is not None:
            if monitor.owner_id in seeing:
                held.add(monitor.id)
        elif status.visibility in _TEAM_READS or monitor.group_id in team_groups:
            held.add(monitor.id)
    return held


async def tell_monitors_of_deletion(uow: UnitOfWork, *, status_id: int) -> None:
    """Before a post is deleted (its matches go with it): the streams of the monitors that
    held it hear so."""
    for monitor_id in await uow.monitors.matched(status_id):
        uow.publish(monitor_channel(monitor_id), Event.DELETE, str(status_id),
                    status_id=status_id)
