"""One client's live connection: which channels it hears, and what its viewer may receive.

Stream names map to broker channels as in Mastodon's streaming server. Events carry the ids of
the accounts involved (`meta.account_ids`), so a connection drops what its viewer blocks or
mutes (or who blocks the viewer) without asking the database per event, and the home stream
drops posts of members of the viewer's exclusive lists; these sets are reloaded when the
viewer's relationships or exclusive lists change. Notifications are rendered per viewer.

Filters likewise: statuses carry their searchable text (`meta.filter_text`), and the viewer's
filters, loaded once and compiled once per context, decide per event: a `hide` filter drops the
status, otherwise it goes out with `filtered` as the REST API would show it. `filters_changed`
reloads them (and tells the client on its user stream).
"""

from __future__ import annotations

import asyncio
import functools
from collections import deque
from dataclasses import dataclass, field

import orjson

from zwitscher.api.presenters.filters import present_filter_result
from zwitscher.api.presenters.notifications import hidden_notification, present_notifications
from zwitscher.db.uow import UnitsOfWork
from zwitscher.domain.channels import (
    ANNOUNCEMENTS_CHANNEL,
    Event,
    broadcast_channel,
    direct_channel,
    group_channel,
    group_of,
    hashtag_channel,
    home_channel,
    is_broadcast,
    list_channel,
    public_channel,
)
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import DomainError, Unauthorized
from zwitscher.domain.filters import Filter, FilterMatcher, is_hidden
from zwitscher.domain.ids import parse_id
from zwitscher.domain.roles import is_insider
from zwitscher.services.oauth import Viewer
from zwitscher.streaming.broker import Subscription
from zwitscher.streaming.live_deliveries import LiveDeliveries

USER_STREAMS = {"user", "user:notification"}
# Ours: posts addressed to a group, for its members (`group=<id>`).
GROUP_STREAM = "group"
# A list's posts, for its owner only (`list=<id>`).
LIST_STREAM = "list"
# Conversation events (direct messages) for their participants.
DIRECT_STREAM = "direct"
# The streams for one group or list, and the parameter naming it.
ID_STREAMS = {GROUP_STREAM: "group", LIST_STREAM: "list"}
PUBLIC_STREAMS = {"public", "public:local", "public:remote", "hashtag", "hashtag:local",
                  "public:media", "public:local:media", "public:remote:media"}
# The public streams that carry statuses, and their channels.
PUBLIC_CHANNELS = {"public": public_channel(), "public:local": public_channel(local=True),
                   "public:media": public_channel(media=True),
                   "public:local:media": public_channel(local=True, media=True)}
STATUS_EVENTS = {Event.UPDATE, Event.STATUS_UPDATE}
# The streams whose new posts count as live deliveries: not the home stream, which goes to
# the home feeds deliveries count already, nor direct messages.
LIVE_DELIVERY_STREAMS = PUBLIC_STREAMS | {GROUP_STREAM, LIST_STREAM}


@functools.lru_cache(maxsize=64)
def _decoded(raw: bytes) -> tuple[str, dict, str]:
    """A broker message as the streams read it: its event, `meta` and payload as JSON text.
    Every stream on a channel gets the same bytes, so each message is decoded once, not once
    per stream: for a post to 2,000 streams that made ~10,000 objects the collector then
    walked, in pauses of up to 44 ms during the delivery. Shared: read, never change, `meta`."""
    message = orjson.loads(raw)
    payload = message.get("payload")
    if not isinstance(payload, str):
        payload = orjson.dumps(payload).decode()
    return message["event"], message.get("meta") or {}, payload


def filter_context(key: StreamKey) -> str | None:
    """Which filters apply on a stream (as on the timeline it mirrors); None: a group or direct
    stream, where statuses show every matching filter and none is left out (as in the REST
    API)."""
    if key.name in ("user", "list"):
        return "home"
    return "public" if key.name in PUBLIC_STREAMS else None


class SessionRevoked(Exception):
    """The token this stream was opened with has been revoked: the connection must end."""


class StreamError(DomainError):
    status_code = 400


class StreamNotFound(DomainError):
    status_code = 404


@dataclass(frozen=True, slots=True)
class StreamKey:
    """A subscribed stream as the client names it: `["hashtag", "tag"]` or `["user"]`."""

    name: str
    tag: str | None = None

    @property
    def label(self) -> list[str]:
        return [self.name, self.tag] if self.tag else [self.name]


def channel_for(key: StreamKey, viewer: Viewer | None) -> str | None:
    """The broker channel behind a stream, or None for streams that never carry anything."""
    if key.name in USER_STREAMS:
        return home_channel(viewer.account_id)
    if key.name in PUBLIC_CHANNELS:
        return PUBLIC_CHANNELS[key.name]
    if key.name.startswith("public:remote"):
        return None  # there are no remote statuses
    if key.name == GROUP_STREAM:
        return group_channel(int(key.tag))
    if key.name == LIST_STREAM:
        return list_channel(int(key.tag))
    if key.name == DIRECT_STREAM:
        return direct_channel(viewer.account_id)
    if key.name in ("hashtag", "hashtag:local"):
        return hashtag_channel(key.tag, local=key.name == "hashtag:local")
    return None


def stream_key(name: str | None, tag: str | None, viewer: Viewer | None) -> StreamKey:
    if name in ID_STREAMS or name == DIRECT_STREAM:
        if viewer is None or viewer.account_id is None:
            raise Unauthorized("Missing access token")
        if not (viewer.may("read:statuses") or name == LIST_STREAM and viewer.may("read:lists")):
            raise Unauthorized("Access token does not cover required scopes")
        if name == DIRECT_STREAM:
            return StreamKey(name)
        if parse_id(tag or "") is None:
            raise StreamError(f"No {ID_STREAMS[name]} for stream provided")
        return StreamKey(name, str(parse_id(tag)))
    if name in USER_STREAMS:
        if viewer is None or viewer.account_id is None:
            raise Unauthorized("Missing access token")
        # As Mastodon: the home stream needs read:statuses, the notification stream
        # read:notifications (and the home stream only carries notifications with it).
        needed = "read:notifications" if name == "user:notification" else "read:statuses"
        if not viewer.may(needed):
            raise Unauthorized("Access token does not cover required scopes")
        return StreamKey(name)
    if name in PUBLIC_STREAMS:
        if name.startswith("hashtag"):
            if not tag:
                raise StreamError("No tag for stream provided")
            return StreamKey(name, tag.lstrip("#").lower()[:200])
        return StreamKey(name)
    raise StreamError("Unknown stream type")


@dataclass
class StreamSession:
    uows: UnitsOfWork
    subscription: Subscription
    viewer: Viewer | None
    origin: str
    streams: dict[str, set[StreamKey]] = field(default_factory=dict)  # channel -> keys
    hidden: set[int] = field(default_factory=set)
    # Members of the viewer's exclusive lists: their posts stay off the home stream.
    exclusive: set[int] = field(default_factory=set)
    # Followed accounts whose posts come on their own broadcast channel (hybrid fan-out),
    # with whether the viewer wants their reblogs.
    broadcasts: dict[int, bool] = field(default_factory=dict)
    filters: list[Filter] = field(default_factory=list)
    matchers: dict[str | None, FilterMatcher] = field(default_factory=dict)
    live: LiveDeliveries | None = None
    # The posts last counted as live deliveries: one that comes on two of the connection's
    # streams (the public and a hashtag stream) counts once.
    counted: deque[int] = field(default_factory=lambda: deque(maxlen=16))

    async def load_filters(self) -> None:
        if self.viewer is None or self.viewer.account_id is None:
            return
        async with self.uows.read() as uow:
            self.filters = await uow.filters.of(self.viewer.account_id)
        self.matchers = {}

    async def load_relationships(self) -> None:
        if self.viewer is None or self.viewer.account_id is None:
            return
        async with self.uows.read() as uow:
            self.hidden, _ = await uow.relationships.excluded_sets(self.viewer.account_id)
            self.exclusive = await uow.lists.exclusive_member_ids(self.viewer.account_id)
            self.broadcasts = await uow.relationships.followed_fan_out_on_read(
                self.viewer.account_id)
        await self._sync_broadcast_channels()

    async def _sync_broadcast_channels(self) -> None:
        """The home stream hears followed broadcast accounts on their channels, and the
        organisation's announcements on theirs."""
        home = StreamKey("user")
        own = home_channel(self.viewer.account_id) if self.viewer else ""
        listening = home in self.streams.get(own, ())
        insider = self.viewer is not None and is_insider(self.viewer.role)
        wanted = {ANNOUNCEMENTS_CHANNEL} if listening else set()
        if listening:
            for author_id in self.broadcasts:
                wanted.add(broadcast_channel(author_id))
                if insider:  # internal posts go out on a channel only insiders hear
                    wanted.add(broadcast_channel(author_id, internal=True))
        current = {c for c in self.streams
                   if is_broadcast(c) or c == ANNOUNCEMENTS_CHANNEL}
        for channel in current - wanted:
            self.streams.pop(channel, None)
            await self.subscription.remove(channel)
        for channel in wanted - current:
            self.streams[channel] = {home}
            await self.subscription.add(channel)

    async def watch_relationships(self) -> None:
        """Listen on the viewer's own channel even without a user stream: blocks and mutes
        made while a public or hashtag stream is open are announced there."""
        if self.viewer is not None and self.viewer.account_id is not None:
            await self.subscription.add(home_channel(self.viewer.account_id))

    async def subscribe(self, key: StreamKey) -> None:
        if key.name == GROUP_STREAM and not await self._in_group(int(key.tag)):
            raise StreamNotFound("No such group")
        if key.name == LIST_STREAM and not await self._owns_list(int(key.tag)):
            raise StreamNotFound("No such list")
        channel = channel_for(key, self.viewer)
        if channel is None:
            return
        self.streams.setdefault(channel, set()).add(key)
        await self.subscription.add(channel)
        if key.name == "user":
            await self._sync_broadcast_channels()

    async def unsubscribe(self, key: StreamKey) -> None:
        channel = channel_for(key, self.viewer)
        keys = self.streams.get(channel or "", set())
        keys.discard(key)
        if channel and not keys:
            self.streams.pop(channel, None)
            if self.viewer is None or channel != home_channel(self.viewer.account_id):
                await self.subscription.remove(channel)
        if key.name == "user":
            await self._sync_broadcast_channels()

    async def next_events(self, timeout: float
                          ) -> list[tuple[list[str], str, str | None]] | None:
        """Wait for the next broker message; return (stream label, event, payload) to send, or
        None when nothing came within `timeout` (time for a heartbeat). Only the wait itself
        times out, so an event is never lost half-processed."""
        try:
            # Not `wait_for`: on Python 3.11 it makes a task per call, and every open stream
            # calls this again right after each event (19 % of a broadcast's delivery time).
            async with asyncio.timeout(timeout):
                channel, raw = await self.subscription.queue.get()
        except TimeoutError:
            return None
        event, meta, payload = _decoded(raw)
        if event == Event.RELATIONSHIPS_CHANGED:
            await self.load_relationships()
            return []
        if event == Event.FILTERS_CHANGED:
            await self.load_filters()
            return [(key.label, event, None) for key in self.streams.get(channel, ())
                    if key.name == "user"]
        if event == Event.SESSION_REVOKED:
            if self.viewer is not None and meta.get("token_id") == self.viewer.token_id:
                raise SessionRevoked
            return []
        keys = self.streams.get(channel)
        if not keys:
            return []
        # Group membership is checked as each post arrives: a member taken out of the group
        # hears nothing more, even on a stream opened before.
        group_id = group_of(channel)
        if group_id is not None and not await self._in_group(group_id):
            return []
        # Notifications were already checked against blocks and mutes when they were made
        # (a mute may keep notifications on); statuses are checked here, as Mastodon does.
        if event != Event.NOTIFICATION and self.hidden.intersection(meta.get("account_ids", ())):
            return []
        if event == Event.NOTIFICATION and not self.viewer.may("read:notifications"):
            return []
        if meta.get("reblog") and is_broadcast(channel) and not (
                self.broadcasts.get(meta["account_ids"][0])):
            return []  # the viewer turned off this account's reblogs
        if event == Event.NOTIFICATION:
            payload = await self._render_notification(meta["notification_id"])
            if payload is None:
                return []
        author = (meta.get("account_ids") or [None])[0]
        out = []
        live = False
        as_filtered: dict[str | None, str | None] = {}
        for key in keys:
            if key.name == "user:notification" and event != Event.NOTIFICATION:
                continue
            if key.name == "user" and event in STATUS_EVENTS and (
                    author in self.exclusive):
                continue
            sent = payload
            if event in STATUS_EVENTS and self.viewer and self.viewer.account_id is not None:
                context = filter_context(key)
                if context not in as_filtered:
                    as_filtered[context] = self._filtered(payload, meta, context)
                sent = as_filtered[context]
            if sent is not None:
                out.append((key.label, event, sent))
                live = live or key.name in LIVE_DELIVERY_STREAMS
        if live and event == Event.UPDATE:
            self._count_live(meta, author)
        return out

    def _count_live(self, meta: dict, author: int | None) -> None:
        """A new post went out on a timeline stream: a live delivery, unless it is a boost,
        the viewer's own post, or counted on this connection already."""
        status_id = meta.get("status_id")
        if (self.live is None or status_id is None or meta.get("reblog")
                or status_id in self.counted
                or self.viewer is not None and self.viewer.account_id == author):
            return
        self.counted.append(status_id)
        self.live.note(status_id)

    def _filtered(self, payload: str, meta: dict, context: str | None) -> str | None:
        """The status as the viewer gets it on a stream of `context`: with `filtered`, or
        None when one of their `hide` filters leaves it out."""
        matcher = self.matchers.get(context)
        if matcher is None:
            matcher = self.matchers[context] = FilterMatcher(self.filters, context)
        author_id = meta.get("account_ids", [None])[-1]  # of the original, for a reblog
        matches = []
        if matcher and author_id != self.viewer.account_id:
            ids = [i for i in (meta.get("status_id"), meta.get("reblog_of_id")) if i]
            matches = matcher.match(text=meta.get("filter_text", ""), status_ids=ids,
                                    now=utcnow())
        if context is not None and is_hidden(matches):
            return None
        if not matches:
            # The common case, kept cheap: the rendered object (orjson's, ending in "}") gets an
            # empty `filtered` without being parsed again.
            return payload[:-1] + ',"filtered":[]}'
        entity = orjson.loads(payload)
        entity["filtered"] = [present_filter_result(match) for match in matches]
        if entity.get("reblog"):
            entity["reblog"]["filtered"] = entity["filtered"]
        return orjson.dumps(entity).decode()

    async def _in_group(self, group_id: int) -> bool:
        async with self.uows.read() as uow:
            return await uow.groups.is_member(self.viewer.account_id, group_id)

    async def _owns_list(self, list_id: int) -> bool:
        async with self.uows.read() as uow:
            found = await uow.lists.get(list_id)
        return found is not None and found.account_id == self.viewer.account_id

    async def _render_notification(self, notification_id: int) -> str | None:
        async with self.uows.read() as uow:
            row = await uow.notifications.get(self.viewer.account_id, notification_id)
            if row is None:
                return None
            entities = await present_notifications(uow, [row], viewer_id=self.viewer.account_id,
                                                   origin=self.origin)
        if not entities or hidden_notification(entities[0]):
            return None
        return orjson.dumps(entities[0]).decode()

    async def close(self) -> None:
        await self.subscription.close()
