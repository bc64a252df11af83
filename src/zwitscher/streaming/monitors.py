"""A monitor's live timeline, as Server-Sent Events: for the API (`GET /api/zwitscher/v1/
monitors/{id}/stream`, by token) and the monitor's web page (by session).

The monitor's channel (`monitor_channel(id)`) carries every post stored for the monitor, as
ids only (`services/match_monitors.py`). Each is asked about as it arrives: it goes out only
if it is in the monitor's timeline *for this reader* (visibility, and the reader still reads
the monitor), rendered by the caller's `render` (a Mastodon Status for the API, HTML for the
web page). A deletion goes out only for a post the stream showed, so nobody learns the id of
a post they were not meant to see.

    update          a new match (the rendered post)
    status.update   a matched post was edited and still matches
    delete          a post left the monitor (deleted, or an edit no longer matches): its id

The stream ends when the token (or web session) it was opened with is revoked.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.responses import StreamingResponse

from zwitscher.db.uow import UnitOfWork, UnitsOfWork
from zwitscher.domain.channels import Event, monitor_channel
from zwitscher.services.show_monitor import monitor_shows, show_monitor
from zwitscher.streaming import sse
from zwitscher.streaming.broker import LocalFanout
from zwitscher.streaming.sse import Message, SentIds, Token

# Renders a post for the stream's reader (None: nothing to show after all).
Render = Callable[[UnitOfWork, int], Awaitable[bytes | None]]


async def monitor_stream(*, uows: UnitsOfWork, broker: LocalFanout, monitor_id: int,
                         token: Token, render: Render) -> StreamingResponse:
    """Raises NotFound (before anything is sent) for a monitor the reader may not read."""
    async with uows.read() as uow:
        await show_monitor(uow, account_id=token.account_id, monitor_id=monitor_id)
    sent = SentIds()

    async def answer(message: Message) -> bytes | None:
        name, payload = message.event, message.payload
        if name in (Event.UPDATE, Event.STATUS_UPDATE):
            status_id = int(message.meta.get("status_id") or 0)
            async with uows.read() as uow:
                body = None
                if await monitor_shows(uow, account_id=token.account_id,
                                       monitor_id=monitor_id, status_id=status_id):
                    body = await render(uow, status_id)
            if body is not None:
                sent.add(status_id)
                return sse.frame(name, body)
        elif name == Event.DELETE and sent.take(int(payload)):
            return sse.frame(name, payload.encode())
        return None

    return await sse.channel_stream(broker=broker, channel=monitor_channel(monitor_id),
                                    token=token, answer=answer)
