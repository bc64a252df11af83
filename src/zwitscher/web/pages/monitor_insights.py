"""A monitor's insights in the web interface (docs/monitoring.md, "Insights"):

    /web/monitors/{id}/insights?from=&to=&compare=<id>…

share of voice against the other monitors the reader chose (among those they may read), the
sentiment of its matches per day, its trending terms, and its latest matches with the words
that decided their sentiment (opened on request). Charts are SVG drawn on the server
(`web/analytics_charts.py`), each beside a table of the same numbers. The same services as the
API's insight routes; a monitor the reader may not read is "not found".
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter
from starlette.responses import Response

from zwitscher import i18n
from zwitscher.api.deps import actor_of, uows
from zwitscher.db.pagination import Page
from zwitscher.domain.errors import DomainError, NotFound
from zwitscher.domain.ids import parse_id
from zwitscher.domain.sentiment import Sentiment
from zwitscher.services.explain_monitor_sentiment import explain_monitor_sentiment
from zwitscher.services.show_analytics import parse_period
from zwitscher.services.show_monitor import list_monitors, may_change, monitor_timeline
from zwitscher.services.show_monitor_trends import monitor_trends
from zwitscher.services.show_share_of_voice import MAX_MONITORS, share_of_voice
from zwitscher.web.analytics_charts import SENTIMENT_COLOURS, line_chart
from zwitscher.web.guards import SignedIn
from zwitscher.web.timeline import shown_statuses

router = APIRouter()

PATH = "/web/monitors"
LATEST = 10  # matches listed with their sentiment
TERMS_CHARTED = 10


@dataclass(frozen=True, slots=True)
class Latest:
    entry: object  # as `_status.html` shows it
    sentiment: Sentiment


def _chart(chart_id: str, title: str, description: str, labels: list[str],
           series: dict[str, list[int]], colours: tuple[str, ...] | None = None):
    return line_chart(chart_id=chart_id, title=title, description=description,
                      labels=labels, series=series, colours=colours)


@router.get(PATH + "/{monitor_id}/insights", include_in_schema=False)
async def insights(monitor_id: str, browser: SignedIn) -> Response:
    request, account_id = browser.request, browser.session.viewer.account_id
    query = request.query_params
    catalog = i18n.translations(browser.language)

    def _(message: str, **values) -> str:
        text = catalog.gettext(message)
        return text % values if values else text

    try:
        own_id = parse_id(monitor_id)
        if own_id is None:
            raise NotFound()
        period = parse_period(query.get("from"), query.get("to"), "day")[0]
        compare = [i for i in (parse_id(v) for v in query.getlist("compare"))
                   if i is not None and i != own_id][:MAX_MONITORS - 1]
        async with uows(request).read() as uow:
            trends = await monitor_trends(uow, account_id=account_id, monitor_id=own_id,
                                          period=period)
            monitor = trends.monitor
            voices = await share_of_voice(uow, account_id=account_id,
                                          monitor_ids=[own_id, *compare], period=period)
            others = [row for row in await list_monitors(uow, account_id=account_id)
                      if row.id != own_id]
            actor = await actor_of(uow, browser.session.viewer)
            changeable = await may_change(uow, actor=actor, monitor=monitor)
            team = await uow.groups.get(monitor.group_id) if monitor.group_id else None
            ids = await monitor_timeline(uow, account_id=account_id, monitor_id=own_id,
                                         page=Page(limit=LATEST))
            shown = await shown_statuses(uow, ids, viewer_id=account_id, filter_context="home")
            latest = []
            for entry in shown:
                explained = await explain_monitor_sentiment(
                    uow, account_id=account_id, monitor_id=own_id, status_id=entry.id)
                latest.append(Latest(entry, explained.sentiment))
    except DomainError as exc:
        return browser.problem(exc)
    days = [day.date().isoformat() for day in voices.days]
    own = next(voice for voice in voices.voices if voice.monitor.id == own_id)
    labels = {"positive": _("Positive"), "neutral": _("Neutral"), "negative": _("Negative"),
              "unscored": _("Not scored")}
    sentiment_series = {labels[name]: [getattr(own.days[day], name) for day in voices.days]
                        for name in labels}
    sentiment_chart = _chart(
        "sentiment", _("Sentiment of the matches per day"),
        _("Matching posts per day from %(first)s to %(last)s, by sentiment: positive, "
          "neutral, negative, and not scored (languages other than German and English).",
          first=days[0], last=days[-1]), days, sentiment_series, SENTIMENT_COLOURS)
    voice_chart = _chart(
        "voice", _("Share of voice per day"),
        _("Matches per day of each monitor compared, from %(first)s to %(last)s.",
          first=days[0], last=days[-1]), days,
        {voice.monitor.name: [voice.days[day].matches for day in voices.days]
         for voice in voices.voices})
    charted = trends.terms[:TERMS_CHARTED]
    terms_chart = _chart(
        "terms", _("Trending terms"),
        _("The terms mentioned in most posts, among those used more often than in the period "
          "before."), [_("Posts")], {term.term: [term.count] for term in charted}) \
        if charted else None
    return browser.render(
        "monitor_insights.html", monitor=monitor, team=team, may_change=changeable,
        period=period, voices=voices, own=own, others=others, compare=set(compare),
        days=days, labels=labels, trends=trends, latest=latest,
        sentiment_chart=sentiment_chart, voice_chart=voice_chart, terms_chart=terms_chart,
        most=MAX_MONITORS - 1)
