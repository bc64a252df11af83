"""The sentiment of a post in a monitor's timeline, with the words that decided it.

Asked of one post at a time; the reader must read the monitor and see the post (else 404,
like a post that is not in the monitor). The score is worked out again from the post's text:
the rules are deterministic, so it is the one stored with the match.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import NotFound
from zwitscher.domain.sentiment import Sentiment
from zwitscher.policies.monitors import readable_monitor
from zwitscher.services.record_monitor_insights import sentiment_of


@dataclass(frozen=True, slots=True)
class MatchSentiment:
    monitor: sa.Row
    status: sa.Row
    sentiment: Sentiment


async def explain_monitor_sentiment(uow: UnitOfWork, *, account_id: int, monitor_id: int,
                                    status_id: int) -> MatchSentiment:
    monitor = await readable_monitor(uow, monitor_id, account_id)
    if not await uow.monitors.shows(monitor.id, status_id, account_id):
        raise NotFound("No such post in this monitor")
    status = await uow.statuses.get(status_id)
    if status is None:
        raise NotFound("No such post in this monitor")
    return MatchSentiment(monitor, status, sentiment_of(status))
