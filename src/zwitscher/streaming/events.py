"""A live event's streams, as Server-Sent Events: its page's (and the API's) timeline stream,
and its wall's.

Both listen on the event's channel, which carries every status with the event's hashtag
whoever may read it (`policies/audience.py`). So each new status is asked about before it goes
out: the page stream sends it if it is in the event's timeline *for its reader*, the wall
stream if it is on the *wall* (`db/repos/event_posts.py`); a deletion or a hidden post goes out
only for a status the stream showed (nobody learns the id of a post they were not meant to
see).

    page / API:  update (the status, as Mastodon's hashtag stream has it), status.update,
                 delete (its id), event.archived (then the stream ends)
    wall:        post ({"id", "html"}: new, or changed), remove ({"id"}: deleted or hidden),
                 ended (archived: the stream ends), gone (its secret link was renewed: the
                 wall reloads, and the old link answers 404)

A page stream ends when the token (or web session) it was opened with is revoked.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import orjson
import sqlalchemy as sa
from starlette.responses import StreamingResponse

from zwitscher.db.uow import UnitsOfWork
from zwitscher.domain.channels import Event, EventEvent, event_channel
from zwitscher.services.see_event import Person, see_event
from zwitscher.streaming import sse
from zwitscher.streaming.broker import LocalFanout
from zwitscher.streaming.sse import Last, Message, SentIds, Token

# Renders a status as the wall shows it (None: no longer there).
WallRenderer = Callable[[int], Awaitable[str | None]]
_WALL_ENDED = sse.frame("ended", b"{}")


async def event_stream(*, uows: UnitsOfWork, broker: LocalFanout, person: Person,
                       event_id: int, token: Token | None = None) -> StreamingResponse:
    """The page's stream for `person`; raises NotFound (before anything is sent) for an
    event they may not see."""
    async with uows.read() as uow:
        event = (await see_event(uow, person=person, event_id=event_id)).event
    if event.archived_at is not None:
        return sse.ended(sse.frame(EventEvent.ARCHIVED, str(event.id).encode()))
    sent = SentIds()

    async def answer(message: Message) -> bytes | Last | None:
        name, payload = message.event, message.payload
        if name in (Event.UPDATE, Event.STATUS_UPDATE):
            status_id = int(message.meta.get("status_id") or 0)
            async with uows.read() as uow:
                shown = await uow.event_posts.shows(event, status_id, person.account_id,
                                                    wall=False)
            if shown:
                sent.add(status_id)
                return sse.frame(name, payload.encode())
        elif name == Event.DELETE and sent.take(int(payload)):
            return sse.frame(name, payload.encode())
        elif name == EventEvent.ARCHIVED:
            return Last(sse.frame(name, payload.encode()))
        return None

    return await sse.channel_stream(broker=broker, channel=event_channel(event.id), token=token,
                                    answer=answer)


async def wall_stream(*, uows: UnitsOfWork, broker: LocalFanout, event: sa.Row,
                      shown_ids: list[int], render: WallRenderer,
                      secret: bool) -> StreamingResponse:
    """The wall's stream of an event whose wall the viewer may open (its public address, or
    its secret link: checked by the caller). `shown_ids`: the posts the wall opened with."""
    if event.archived_at is not None:
        return sse.ended(_WALL_ENDED)
    sent = SentIds(shown_ids)

    async def answer(message: Message) -> bytes | Last | None:
        name, payload = message.event, message.payload
        if name in (Event.UPDATE, Event.STATUS_UPDATE):
            status_id = int(message.meta.get("status_id") or 0)
            if name == Event.STATUS_UPDATE and status_id not in sent:
                return None  # an edit of a post the wall does not show
            async with uows.read() as uow:
                shown = await uow.event_posts.shows(event, status_id, None, wall=True)
            html = await render(status_id) if shown else None
            if html is not None:
                sent.add(status_id)
                return sse.frame("post", orjson.dumps({"id": str(status_id), "html": html}))
        elif name in (Event.DELETE, EventEvent.HIDDEN) and sent.take(int(payload)):
            return sse.frame("remove", orjson.dumps({"id": payload}))
        elif name == EventEvent.ARCHIVED:
            return Last(_WALL_ENDED)
        elif name == EventEvent.RENEWED and secret:
            return Last(sse.frame("gone", b"{}"))
        return None

    return await sse.channel_stream(broker=broker, channel=event_channel(event.id), token=None,
                                    answer=answer)

