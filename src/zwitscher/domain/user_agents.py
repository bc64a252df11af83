"""A browser's User-Agent header in plain words ("Firefox on Linux"), good enough for a person
to recognise their own devices; not for deciding anything.

Order matters: Edge and Opera also say Chrome, Chrome also says Safari, Android also says Linux.
"""

from __future__ import annotations

from dataclasses import dataclass

BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
            ("Chromium/", "Chromium"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("Windows", "Windows"),
           ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))
RAW_LENGTH = 60


@dataclass(frozen=True, slots=True)
class Device:
    browser: str | None
    system: str | None
    # The header itself, shortened: shown when neither is recognised.
    raw: str


def describe_user_agent(header: str) -> Device:
    browser = next((name for marker, name in BROWSERS if marker in header), None)
    system = next((name for marker, name in SYSTEMS if marker in header), None)
    raw = header if len(header) <= RAW_LENGTH else header[:RAW_LENGTH - 1] + "…"
    return Device(browser, system, raw)
