"""Times as people type and read them on forms: `datetime-local` fields in a time zone of
their choosing (their setting, else UTC), stored in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.time_zones import time_zone_names, zone_named
from zwitscher.web.browser import Browser

# The zones a person may choose in their settings, UTC first.
ZONES = ["UTC", *(zone for zone in time_zone_names() if zone != "UTC")]
_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def person_zone(browser: Browser) -> str:
    """The signed-in person's time zone (their setting), or UTC."""
    zone = browser.user.time_zone if browser.user is not None else None
    return zone if zone in ZONES else "UTC"


def zone_info(zone: str) -> tzinfo:
    return zone_named(zone) or UTC


def field_value(moment: datetime | None, zone: str) -> str:
    """A stored moment as a `datetime-local` field shows it."""
    return moment.astimezone(zone_info(zone)).strftime(_LOCAL_FORMAT) if moment else ""


def local_moment(raw: str, zone: str, problem: str) -> datetime | None:
    """A `datetime-local` value in `zone`, in UTC; blank is none."""
    if not raw.strip():
        return None
    try:
        local = datetime.fromisoformat(raw.strip()[:32])
    except ValueError:
        raise ValidationFailed(problem) from None
    if local.tzinfo is not None or not 2000 <= local.year <= 9000:
        raise ValidationFailed(problem)
    return local.replace(tzinfo=zone_info(zone)).astimezone(UTC)
