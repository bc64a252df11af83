"""A press conference's live stream, as Server-Sent Events: for the API (`GET /api/zwitscher/
v1/press_conferences/{id}/stream`, by token) and the conference's web page (by session).

The stream is opened only for someone who may watch the conference (404 otherwise). Each
event then goes out only to whom its message names (`services/tell_press_conference.py`): a
question waiting for the moderators reaches the moderators and its asker, nobody else. For a
press-only conference the watcher's membership is asked again as each event arrives, as group
streams do: a member taken out of the groups hears nothing more. The stream ends after
`conference.ended`, and when the token (or web session) it was opened with is revoked.
"""

from __future__ import annotations

import orjson
from starlette.responses import StreamingResponse

from zwitscher.db.uow import UnitsOfWork
from zwitscher.domain.channels import PressEvent, press_conference_channel
from zwitscher.domain.clock import utcnow
from zwitscher.policies.press_conferences import ENDED, PUBLIC, state_now
from zwitscher.services.tell_press_conference import ALL, MODERATORS, OTHERS
from zwitscher.services.watch_press_conference import (
    Watcher,
    may_watch,
    watch_press_conference,
)
from zwitscher.streaming import sse
from zwitscher.streaming.broker import LocalFanout
from zwitscher.streaming.sse import Last, Message, Token


def _frame(event: str, payload: object) -> bytes:
    return sse.frame(event, orjson.dumps(payload))


def _for_watcher(meta: dict, watcher: Watcher, moderator: bool) -> bool:
    to = meta.get("to", ALL)
    named = watcher.account_id is not None and str(watcher.account_id) in meta.get(
        "askers", ())
    if to == MODERATORS:
        return moderator or named
    if to == OTHERS:
        return not (moderator or named)
    return to == ALL


async def press_conference_stream(*, uows: UnitsOfWork, broker: LocalFanout,
                                  watcher: Watcher, conference_id: int,
                                  token: Token | None = None) -> StreamingResponse:
    """The stream for `watcher`; raises NotFound (before anything is sent) for a conference
    they may not watch."""
    async with uows.read() as uow:
        watched = await watch_press_conference(uow, watcher=watcher,
                                               conference_id=conference_id)
    conference = watched.conference
    if state_now(conference, utcnow()) == ENDED:
        return sse.ended(_frame(PressEvent.ENDED, {"id": str(conference.id), "ended_at": None}))

    async def answer(message: Message) -> bytes | Last | None:
        if not _for_watcher(message.meta, watcher, watched.moderator):
            return None
        if conference.audience != PUBLIC and not watched.moderator:
            async with uows.read() as uow:
                if not await may_watch(uow, watcher, conference, moderator=False):
                    return None
        sent = _frame(message.event, message.payload)
        return Last(sent) if message.event == PressEvent.ENDED else sent

    return await sse.channel_stream(broker=broker,
                                    channel=press_conference_channel(conference_id),
                                    token=token, answer=answer)
