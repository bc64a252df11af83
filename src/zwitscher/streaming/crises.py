"""A crisis dashboard's live stream for the crisis desk's web page, as Server-Sent Events.

It carries only ticks: `tick` each time the crisis's counts changed (`Event.CRISIS_CHANGED` on
`crisis_channel(id)`: someone opened or answered it, a delivery batch was marked, it was
closed). The page then fetches its counts anew, rendered for its reader with every check a
page has, so the stream itself says nothing that needs checking again as it runs. A burst of
answers becomes a burst of ticks; the page's script fetches at most once a second. The
stream ends when the web session it was opened with is revoked.
"""

from __future__ import annotations

from starlette.responses import StreamingResponse

from zwitscher.domain.channels import Event, crisis_channel
from zwitscher.streaming import sse
from zwitscher.streaming.broker import LocalFanout
from zwitscher.streaming.sse import Message, Token

TICK = sse.frame("tick", b"{}")


async def crisis_ticks(*, broker: LocalFanout, crisis_id: int, token: Token) -> StreamingResponse:
    """The stream of one crisis; the caller has checked that its reader runs the desk."""

    async def answer(message: Message) -> bytes | None:
        return TICK if message.event == Event.CRISIS_CHANGED else None

    return await sse.channel_stream(broker=broker, channel=crisis_channel(crisis_id),
                                    token=token, answer=answer)
