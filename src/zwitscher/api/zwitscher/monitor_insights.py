"""Monitor insights under our API (docs/monitoring.md, "Insights"), `read:monitors`:

    GET /api/zwitscher/v1/monitors/share_of_voice?ids[]=..&from=&to=
        per monitor the matches, their share and sentiment counts, in total and per day
    GET /api/zwitscher/v1/monitors/{id}/trends?from=&to=
        trending terms against the period of the same length before
    GET /api/zwitscher/v1/monitors/{id}/statuses/{status_id}/sentiment
        a matched post's sentiment and the words that decided it

`from` and `to` are dates (both included; by default the last 30 days). A period reversed or
longer than three years is 422, as are more than ten monitors. A monitor you may not read is
not found (404); in share of voice it is left out.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from typing_extensions import TypedDict

from zwitscher.api.deps import path_id, scoped, uows
from zwitscher.api.operations import declare
from zwitscher.api.responses import JSON
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.ids import parse_id
from zwitscher.services.explain_monitor_sentiment import explain_monitor_sentiment
from zwitscher.services.oauth import Viewer
from zwitscher.services.show_analytics import parse_period
from zwitscher.services.show_monitor_trends import monitor_trends
from zwitscher.services.show_share_of_voice import MAX_MONITORS, Tally, share_of_voice

router = APIRouter(prefix="/api/zwitscher/v1/monitors")
READ = scoped("read:monitors")


class SentimentCounts(TypedDict):
    matches: int
    positive: int
    neutral: int
    negative: int
    unscored: int  # posts in a language without a lexicon


class DayVoice(SentimentCounts):
    date: str


class MonitorVoice(SentimentCounts):
    id: str
    name: str
    share: float  # of all the matches of the monitors compared, 0..1
    days: list[DayVoice]


ShareOfVoiceAnswer = TypedDict("ShareOfVoiceAnswer", {
    "from": str, "to": str, "matches": int, "monitors": list[MonitorVoice]})


class TrendingTermOut(TypedDict):
    term: str  # a word, or a hashtag with its '#'
    count: int  # posts mentioning it in the period
    previous_count: int
    ratio: float
    score: float  # Dunning's G²


TrendsAnswer = TypedDict("TrendsAnswer", {
    "from": str, "to": str, "previous_from": str, "previous_to": str, "matches": int,
    "previous_matches": int, "terms": list[TrendingTermOut]})


class SentimentReason(TypedDict):
    term: str
    entry: str
    valence: float
    contribution: float
    rules: list[str]


class SentimentAnswer(TypedDict):
    status_id: str
    language: str | None  # None: not scored
    scored: bool
    compound: float
    label: str
    reasons: list[SentimentReason]


def _reader(viewer: Viewer) -> int:
    return viewer.person_id or viewer.account_id


def _counts(tally: Tally) -> dict:
    return {"matches": tally.matches, "positive": tally.positive, "neutral": tally.neutral,
            "negative": tally.negative, "unscored": tally.unscored}


def _ids(request: Request) -> list[int]:
    raw = request.query_params.getlist("ids[]") + request.query_params.getlist("ids")
    if len(raw) > MAX_MONITORS:
        raise ValidationFailed("At most %(count)s monitors can be compared, not %(given)s",
                               count=MAX_MONITORS, given=len(raw))
    return [i for i in (parse_id(value) for value in raw) if i is not None]


def _period(request: Request):
    query = request.query_params
    return parse_period(query.get("from"), query.get("to"), "day")[0]


@router.get("/share_of_voice")
@declare(returns=ShareOfVoiceAnswer, errors=(422,))
async def share_of_voice_between(request: Request, viewer: Viewer = Depends(READ)) -> JSON:
    """Share of voice between the monitors named (those you may read)."""
    ids, period = _ids(request), _period(request)
    async with uows(request).read() as uow:
        found = await share_of_voice(uow, account_id=_reader(viewer), monitor_ids=ids,
                                     period=period)
    return JSON({"from": period.first.isoformat(), "to": period.last.isoformat(),
                 "matches": found.matches,
                 "monitors": [{"id": str(voice.monitor.id), "name": voice.monitor.name,
                               "share": voice.share, **_counts(voice.total),
                               "days": [{"date": day.date().isoformat(),
                                         **_counts(voice.days[day])} for day in found.days]}
                              for voice in found.voices]})


@router.get("/{monitor_id}/trends")
@declare(returns=TrendsAnswer, errors=(404, 422))
async def trends(request: Request, monitor_id: str, viewer: Viewer = Depends(READ)) -> JSON:
    """The monitor's trending terms in the period, against the period before it."""
    period = _period(request)
    async with uows(request).read() as uow:
        found = await monitor_trends(uow, account_id=_reader(viewer),
                                     monitor_id=path_id(monitor_id), period=period)
    return JSON({"from": period.first.isoformat(), "to": period.last.isoformat(),
                 "previous_from": found.previous.first.isoformat(),
                 "previous_to": found.previous.last.isoformat(),
                 "matches": found.matches, "previous_matches": found.previous_matches,
                 "terms": [{"term": t.term, "count": t.count, "previous_count": t.baseline_count,
                            "ratio": t.ratio, "score": t.score} for t in found.terms]})


@router.get("/{monitor_id}/statuses/{status_id}/sentiment")
@declare(returns=SentimentAnswer, errors=(404,))
async def sentiment(request: Request, monitor_id: str, status_id: str,
                    viewer: Viewer = Depends(READ)) -> JSON:
    """A matched post's sentiment, with the words that decided it."""
    async with uows(request).read() as uow:
        found = await explain_monitor_sentiment(uow, account_id=_reader(viewer),
                                                monitor_id=path_id(monitor_id),
                                                status_id=path_id(status_id))
    result = found.sentiment
    return JSON({"status_id": str(found.status.id), "language": result.language,
                 "scored": result.language is not None, "compound": result.compound,
                 "label": result.label,
                 "reasons": [{"term": r.term, "entry": r.entry, "valence": r.valence,
                              "contribution": r.contribution, "rules": list(r.rules)}
                             for r in result.reasons]})
