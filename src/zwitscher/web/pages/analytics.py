"""Analytics in the web interface (docs/analytics.md), for signed-in people:

    /web/analytics                          what the person may read: their own account, the
                                            brand accounts they write for, the groups they
                                            manage, the organisation (admins, moderators)
    /web/analytics/accounts/{id}            a report: totals against the previous period,
    /web/analytics/groups/{id}              charts each beside its table, response times,
    /web/analytics/instance                 follower composition; `from`, `to`, `interval`
    …/{id}.csv, …/{id}.json, instance.csv   the same report to download

Who may read what is the API's rule (`policies/analytics.py`): anything else is not found.
"""

from __future__ import annotations

from datetime import datetime

import orjson
from fastapi import APIRouter
from starlette.responses import Response

from zwitscher import i18n
from zwitscher.api.deps import actor_of, uows
from zwitscher.domain.analytics import INSTANCE_ID, Interval, Subject
from zwitscher.domain.errors import DomainError
from zwitscher.domain.ids import parse_id
from zwitscher.policies.analytics import readable_subjects
from zwitscher.services.export_analytics import report_as_csv, report_as_json
from zwitscher.services.show_analytics import Report, parse_period, show_analytics
from zwitscher.web.analytics_charts import line_chart
from zwitscher.web.browser import Browser
from zwitscher.web.guards import SignedIn

router = APIRouter()
PATH = "/web/analytics"

# Charts of a report: (id, title, description, metrics), each shown if its subject has them.
CHARTS = (
    ("reach", "Posts and deliveries",
     "Posts written, the home feeds they were delivered to and the open timelines they were "
     "shown on live, per %(interval)s",
     ("posts", "deliveries", "live_deliveries")),
    ("engagement", "Engagement",
     "Replies, boosts, favourites and link clicks received, per %(interval)s",
     ("replies", "boosts", "favourites", "link_clicks")),
    ("followers", "Followers gained and lost",
     "New followers and followers who left, per %(interval)s",
     ("followers_gained", "followers_lost")),
    ("mentions", "Mentions", "Mentions received and answered, per %(interval)s",
     ("mentions", "mentions_answered")),
)
LABELS = {"posts": "Posts", "deliveries": "Deliveries", "live_deliveries": "Live deliveries",
          "replies": "Replies",
          "boosts": "Boosts", "favourites": "Favourites", "link_clicks": "Link clicks",
          "followers_gained": "Followers gained", "followers_lost": "Followers lost",
          "mentions": "Mentions", "mentions_answered": "Mentions answered"}
INTERVAL_NAMES = {"hour": "hour", "day": "day", "week": "week", "month": "month"}
BUCKETS = {"response_le_900": "within 15 minutes", "response_le_3600": "within an hour",
           "response_le_14400": "within 4 hours", "response_le_86400": "within a day",
           "response_le_259200": "within 3 days", "response_gt_last": "after more than 3 days"}


@router.get(PATH, include_in_schema=False)
async def analytics_home(browser: SignedIn) -> Response:
    async with uows(browser.request).read() as uow:
        actor = await actor_of(uow, browser.session.viewer)
        brands, groups, organisation = await readable_subjects(uow, actor=actor)
    return browser.render("analytics.html", brands=brands, groups=groups,
                          organisation=organisation)


@router.get(PATH + "/accounts/{raw}", include_in_schema=False)
async def account_report(browser: SignedIn, raw: str) -> Response:
    return await _report(browser, Subject.ACCOUNT, raw)


@router.get(PATH + "/groups/{raw}", include_in_schema=False)
async def group_report(browser: SignedIn, raw: str) -> Response:
    return await _report(browser, Subject.GROUP, raw)


@router.get(PATH + "/{raw}", include_in_schema=False)
async def instance_report(browser: SignedIn, raw: str) -> Response:
    if raw.partition(".")[0] != "instance":
        return browser.not_found()
    return await _report(browser, Subject.INSTANCE, raw)


async def _report(browser: Browser, kind: Subject, raw: str) -> Response:
    raw, _, suffix = raw.partition(".")
    subject_id = INSTANCE_ID if kind is Subject.INSTANCE else parse_id(raw)
    if subject_id is None or suffix not in ("", "csv", "json"):
        return browser.not_found()
    query = browser.request.query_params
    form = {"from": query.get("from", ""), "to": query.get("to", ""),
            "interval": query.get("interval", "day")}
    try:
        period, interval = parse_period(form["from"] or None, form["to"] or None,
                                        form["interval"])
        async with uows(browser.request).read() as uow:
            report = await show_analytics(uow, actor=await actor_of(uow, browser.session.viewer),
                                          kind=kind, subject_id=subject_id, period=period,
                                          interval=interval)
    except DomainError as exc:
        if exc.status_code == 404 or suffix:
            return browser.problem(exc)
        return browser.render("analytics_report.html", status_code=exc.status_code,
                              report=None, form=form, error=browser.explain(exc),
                              base=_base(kind, raw))
    if suffix == "csv":
        name = f"analytics-{kind.value}-{subject_id}-{period.first}-{period.last}.csv"
        return Response(report_as_csv(report), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    if suffix == "json":
        return Response(orjson.dumps(report_as_json(report)), media_type="application/json")
    form = {"from": period.first.isoformat(), "to": period.last.isoformat(),
            "interval": interval.value}
    return browser.render("analytics_report.html", report=report, form=form, error=None,
                          base=_base(kind, raw), charts=_charts(browser, report),
                          labels=LABELS, buckets=BUCKETS,
                          query=str(browser.request.url.query))


def _base(kind: Subject, raw: str) -> str:
    return f"{PATH}/instance" if kind is Subject.INSTANCE else f"{PATH}/{kind.value}s/{raw}"


def _label(start: datetime, interval: Interval) -> str:
    if interval is Interval.HOUR:
        return start.strftime("%Y-%m-%d %H:00")
    if interval is Interval.MONTH:
        return start.strftime("%Y-%m")
    return start.strftime("%Y-%m-%d")


def _charts(browser: Browser, report: Report) -> list[dict]:
    catalog = i18n.translations(browser.language)
    shown = {metric.value for metric in report.metrics}
    labels = [_label(start, report.interval) for start, _ in report.series]
    interval = catalog.gettext(INTERVAL_NAMES[report.interval.value])
    charts = []
    for chart_id, title, description, metrics in CHARTS:
        metrics = tuple(metric for metric in metrics if metric in shown)
        if not metrics:
            continue
        title, description = catalog.gettext(title), catalog.gettext(description) % {
            "interval": interval}
        names = {metric: catalog.gettext(LABELS[metric]) for metric in metrics}
        charts.append({
            "id": chart_id, "title": title, "description": description, "metrics": metrics,
            "names": names, "rows": [(label, values) for label, (_, values)
                                     in zip(labels, report.series, strict=True)],
            "svg": line_chart(chart_id=chart_id, title=title, description=description,
                              labels=labels, series={names[m]: [v[m] for _, v in report.series]
                                                     for m in metrics})})
    return charts
