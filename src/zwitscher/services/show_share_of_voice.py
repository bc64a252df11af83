"""Share of voice between monitors: how many matches each had over a period, its share of
all of them, and their sentiment, in total and per day (docs/monitoring.md, "Insights").

Only monitors the reader may read take part; others named are left out as if not named (so
nobody learns which monitors exist). Counts are of all the posts a monitor holds (aggregates,
no post is shown); "unscored" are posts in a language without a sentiment lexicon.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.analytics import Period, day_of
from zwitscher.domain.errors import ValidationFailed
from zwitscher.policies.monitors import may_read_monitor

MAX_MONITORS = 10
LABELS = ("positive", "neutral", "negative", "unscored")


@dataclass(slots=True)
class Tally:
    matches: int = 0
    positive: int = 0
    neutral: int = 0
    negative: int = 0
    unscored: int = 0

    def add(self, label: str | None) -> None:
        self.matches += 1
        name = label if label in ("positive", "neutral", "negative") else "unscored"
        setattr(self, name, getattr(self, name) + 1)


@dataclass(slots=True)
class Voice:
    monitor: sa.Row
    total: Tally = field(default_factory=Tally)
    share: float = 0.0
    days: dict[datetime, Tally] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ShareOfVoice:
    period: Period
    days: list[datetime]
    voices: list[Voice]
    matches: int


async def share_of_voice(uow: UnitOfWork, *, account_id: int, monitor_ids: Sequence[int],
                         period: Period) -> ShareOfVoice:
    ids = list(dict.fromkeys(monitor_ids))
    if not ids:
        raise ValidationFailed("Name at least one monitor")
    if len(ids) > MAX_MONITORS:
        raise ValidationFailed("At most %(count)s monitors can be compared, not %(given)s",
                               count=MAX_MONITORS, given=len(ids))
    rows = await uow.monitors.get_many(ids)
    readable = [rows[i] for i in ids
                if i in rows and await may_read_monitor(uow, rows[i], account_id)]
    days = [period.start + timedelta(days=n) for n in range(period.days)]
    voices = {row.id: Voice(row, days={day: Tally() for day in days}) for row in readable}
    for match in await uow.monitor_insights.matches_in(list(voices), start=period.start,
                                                       end=period.end):
        voice = voices[match.monitor_id]
        voice.total.add(match.sentiment_label)
        voice.days.setdefault(day_of(match.matched_at), Tally()).add(match.sentiment_label)
    total = sum(voice.total.matches for voice in voices.values())
    for voice in voices.values():
        voice.share = round(voice.total.matches / total, 4) if total else 0.0
    return ShareOfVoice(period, days, list(voices.values()), total)
