"""Calendar files (iCalendar, RFC 5545) of live events: the event's own, and an invitation's.

Both are published (`METHOD:PUBLISH`), not iTIP requests: calendar programs add the event, and
nobody's mail program sends an answer to an address that reads none. People answer through
the links of their invitation or on the event's page. The UID is the event's, the same in
every file, so a calendar that imports a second file (a changed time) updates the event it
has; `SEQUENCE` grows with each change (the seconds from its creation to its last change).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import icalendar

from zwitscher.domain.clock import utcnow

PRODUCT = "-//Zwitscher//Live events//EN"
MEDIA_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    event_id: int
    title: str
    description: str
    place: str
    starts_at: datetime
    ends_at: datetime
    url: str
    created_at: datetime
    updated_at: datetime


def calendar_file(entry: CalendarEntry) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    item = icalendar.Event()
    host = urlsplit(entry.url).hostname or "localhost"
    item.add("uid", f"event-{entry.event_id}@{host}")
    item.add("dtstamp", utcnow())
    item.add("dtstart", entry.starts_at)
    item.add("dtend", entry.ends_at)
    item.add("last-modified", entry.updated_at)
    item.add("sequence", max(0, int((entry.updated_at - entry.created_at).total_seconds())))
    item.add("summary", entry.title)
    if entry.description:
        item.add("description", f"{entry.description}\n\n{entry.url}")
    else:
        item.add("description", entry.url)
    if entry.place:
        item.add("location", entry.place)
    item.add("url", entry.url)
    item.add("status", "CONFIRMED")
    calendar.add_component(item)
    return calendar.to_ical()


def file_name(title: str) -> str:
    """A download's name: the title's letters and digits, else `event`."""
    kept = "".join(char if char.isalnum() else "-" for char in title.lower()).strip("-")
    while "--" in kept:
        kept = kept.replace("--", "-")
    return (kept[:60] or "event") + ".ics"
