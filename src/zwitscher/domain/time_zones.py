"""The time zones a person may read times in: IANA names (`Europe/Berlin`), as `zoneinfo`
knows them on this machine (the `tzdata` package where the system has none)."""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo, available_timezones


@cache
def time_zone_names() -> tuple[str, ...]:
    """Sorted; without the old aliases (`US/Pacific`, `Etc/GMT+1`), which confuse a list."""
    return tuple(sorted(name for name in available_timezones()
                        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/"))
                        ) + ["UTC"])


@cache
def _known() -> frozenset[str]:
    return frozenset(available_timezones())


def zone_named(name: str | None) -> ZoneInfo | None:
    """The zone called `name`, or None for an empty or unknown name."""
    if not name or name not in _known():
        return None
    return ZoneInfo(name)
