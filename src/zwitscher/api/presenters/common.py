from __future__ import annotations

from datetime import datetime


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_date(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%d") if moment else None


def absolutize(html: str, origin: str) -> str:
    """Stored HTML links our own pages relatively (`href="/@a"`); make them absolute."""
    return html.replace('href="/', f'href="{origin}/')
