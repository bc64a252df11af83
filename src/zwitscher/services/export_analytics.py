"""An analytics report as the API answers it and the web interface offers it for download:
JSON (everything) or CSV (the series, a row per bucket, the previous period's totals last).
Counts of people the privacy rules withhold are null in JSON and empty in CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from zwitscher.services.show_analytics import Report, Responses


def _responses(responses: Responses | None) -> dict[str, Any] | None:
    if responses is None:
        return None
    return {"answered": responses.answered, "average_seconds": responses.average_seconds,
            "median_bucket": responses.median, "histogram": responses.histogram}


def report_as_json(report: Report) -> dict[str, Any]:
    followers = report.followers
    return {
        "subject": {"kind": report.kind.value, "id": str(report.subject_id),
                    "name": report.name},
        "from": report.period.first.isoformat(), "to": report.period.last.isoformat(),
        "interval": report.interval.value,
        "metrics": [metric.value for metric in report.metrics],
        "totals": report.totals,
        "series": [{"start": start.strftime("%Y-%m-%dT%H:%M:%SZ"), **values}
                   for start, values in report.series],
        "response_time": _responses(report.responses),
        "previous": {"from": report.previous.first.isoformat(),
                     "to": report.previous.last.isoformat(),
                     "totals": report.previous_totals,
                     "response_time": _responses(report.previous_responses)},
        "followers": None if followers is None else {
            "total": followers.total, "members": followers.members,
            "guests": followers.guests, "minimum_people": followers.minimum,
            "groups": [{"id": str(share.group_id), "name": share.name, "press": share.press,
                        "followers": share.followers} for share in followers.groups]},
    }


def report_as_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = [metric.value for metric in report.metrics]
    writer.writerow(["start", *names])
    for start, values in report.series:
        writer.writerow([start.strftime("%Y-%m-%dT%H:%M:%SZ"), *(values[n] for n in names)])
    writer.writerow([f"total {report.period.first}..{report.period.last}",
                     *(report.totals[n] for n in names)])
    writer.writerow([f"total {report.previous.first}..{report.previous.last}",
                     *(report.previous_totals[n] for n in names)])
    return out.getvalue()
