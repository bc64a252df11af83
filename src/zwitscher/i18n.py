"""Languages of the web interface and of e-mail: gettext catalogs, and the choice per person.

The catalogs are the `.po` files themselves (no compile step): `pybabel update` keeps them in
step with the templates and code, and they are read into `Translations` once per process.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import (
    format_datetime,
    format_skeleton,
    format_time,
    format_timedelta,
)
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from babel.units import format_unit

from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import DomainError, ValidationFailed
from zwitscher.domain.time_zones import zone_named

LANGUAGES = ("en", "de")
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).parent / "locale"


@cache
def _catalog(language: str) -> Catalog:
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=language)


@cache
def translations(language: str) -> Translations:
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(language))
    compiled.seek(0)
    return Translations(compiled)


def _is_known_message(text: str) -> bool:
    # German is the complete catalog (tests/test_web_error_texts.py sees to it); English
    # leaves its texts untranslated, so a lookup there cannot tell known from unknown.
    return _catalog("de").get(text) is not None


def supported(language: str | None) -> str | None:
    base = (language or "").strip().lower().split("-")[0].split("_")[0]
    return base if base in LANGUAGES else None


def from_accept_language(header: str) -> str | None:
    """The best supported language of an Accept-Language header, honouring q-values."""
    wanted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if (language := supported(tag)) and quality > 0:
            wanted.append((-quality, position, language))
    return min(wanted)[2] if wanted else None


class Formatter:
    """Dates and numbers the way a reader of `language` writes them, in their time zone (an
    IANA name; unknown or None: UTC)."""

    def __init__(self, language: str, time_zone: str | None = None) -> None:
        self.language = language
        self.locale = Locale.parse(language)
        self.zone = zone_named(time_zone) or UTC

    def datetime(self, value: datetime | str) -> str:
        return format_datetime(_moment(value), format="medium", tzinfo=self.zone,
                               locale=self.locale)

    def day(self, value: datetime | str) -> str:
        """A day ("Dec 7, 2026", "7. Dez. 2026"), as a newsroom dates its releases."""
        return format_skeleton("yMMMd", _moment(value).astimezone(self.zone), locale=self.locale)

    def minute(self, value: datetime | str) -> str:
        """A moment to the minute, without seconds ("Dec 7, 2026, 11:45 AM")."""
        moment = _moment(value).astimezone(self.zone)
        return self.locale.datetime_formats["medium"].format(
            format_time(moment, "short", locale=self.locale), self.day(moment))

    def time(self, value: datetime | str) -> str:
        """A time of day to the minute ("3:41 PM", "15:41"), as an event's end on its day."""
        return format_time(_moment(value).astimezone(self.zone), "short", locale=self.locale)

    def same_day(self, one: datetime | str, other: datetime | str) -> bool:
        """Whether two moments fall on one day where the reader is."""
        return (_moment(one).astimezone(self.zone).date()
                == _moment(other).astimezone(self.zone).date())

    def month(self, value: datetime | str) -> str:
        """A month of a year ("Dec 2026", "Dez. 2026"), as a profile says when someone joined."""
        return format_skeleton("yMMM", _moment(value).astimezone(self.zone), locale=self.locale)

    def ago(self, moment: datetime) -> str:
        """How long ago, roughly ("5 minutes ago", "vor 2 Tagen")."""
        return format_timedelta(moment - utcnow(), add_direction=True,
                                threshold=1.0, locale=self.locale)

    def relative(self, moment: datetime | str, now: datetime | None = None) -> str:
        """A post's time as timelines show it: "now", "5 min", "3 hr", "yesterday", then the
        day ("4 Dec", with the year when it is not this year's)."""
        moment = _moment(moment)
        now = now or utcnow()
        elapsed = now - moment
        if elapsed < timedelta(minutes=1):
            return translations(self.language).gettext("now")
        if elapsed < timedelta(hours=24):
            return format_timedelta(elapsed, format="short", threshold=1.0, locale=self.locale)
        day, today = moment.astimezone(self.zone).date(), now.astimezone(self.zone).date()
        if (today - day).days == 1:
            return translations(self.language).gettext("yesterday")
        skeleton = "MMMd" if day.year == today.year else "yMMMd"
        return format_skeleton(skeleton, day, locale=self.locale)

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.locale)

    def size(self, value: int) -> str:
        """A file's size in the largest decimal unit it fills ("12 kB", "1,5 MB")."""
        for power, unit in ((3, "gigabyte"), (2, "megabyte"), (1, "kilobyte")):
            if value >= 1000 ** power:
                return format_unit(value / 1000 ** power, f"digital-{unit}", length="short",
                                   format="#,##0.#", locale=self.locale)
        return format_unit(value, "digital-byte", length="short", locale=self.locale)

    def value(self, value: object) -> object:
        """A number or a duration in this language; anything else as it is."""
        if isinstance(value, timedelta):
            return format_timedelta(value, locale=self.locale, threshold=1.0)
        if isinstance(value, int) and not isinstance(value, bool):
            return self.number(value)
        return value


def _moment(value: datetime | str) -> datetime:
    """A stored moment, or one an API entity wrote as ISO 8601 text."""
    if isinstance(value, str):
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


def _joined_problems(text: str) -> list[str]:
    """The problems a service joined with ", ", each as long as a known message allows (a
    problem may itself hold a comma: "… letters, digits, - or _")."""
    parts, problems, start = text.split(", "), [], 0
    while start < len(parts):
        end = next((end for end in range(len(parts), start + 1, -1)
                    if _is_known_message(", ".join(parts[start:end]))), start + 1)
        problems.append(", ".join(parts[start:end]))
        start = end
    return problems


def explain(exc: DomainError, language: str) -> str:
    """The error's reason in `language`; parts without a translation stay English."""
    if not exc.text:
        return exc.message
    catalog = translations(language)
    text = catalog.gettext(exc.text)
    if not _is_known_message(exc.text) and ", " in exc.text and not exc.variables:
        # Several problems found at once, joined by the service (e.g. username and password).
        text = ". ".join(catalog.gettext(part) for part in _joined_problems(exc.text))
    if not exc.variables:
        return text
    fmt = Formatter(language)
    # A problem given as the reason of another ("Image 2: …") is explained in turn.
    values = {name: explain(value, language) if isinstance(value, DomainError)
              else fmt.value(value) for name, value in exc.variables.items()}
    try:
        return text % values
    except (KeyError, ValueError, TypeError):
        # A translation that lost a placeholder must not turn an explanation into a crash.
        return exc.message


# The API's error bodies: Mastodon localises them by the request's language; English is its
# wording exactly (which clients may match), other languages are translated.

def api_message(exc: DomainError, language: str) -> str:
    """A service's error for an API body in `language`: in English Mastodon's text
    (`exc.message`), otherwise explained, with Mastodon's "Validation failed: " before the
    reason of a validation failure."""
    if language == DEFAULT_LANGUAGE or not exc.text:
        return exc.message
    reason = exc.text
    # A text of no catalog (a parameter's problem as the validator put it) stays as it is,
    # rather than being taken apart at its commas.
    if exc.variables or any(_is_known_message(part) for part in _joined_problems(exc.text)):
        reason = explain(exc, language)
    return validation_failed(reason, language) if isinstance(exc, ValidationFailed) else reason


def validation_failed(reason: str, language: str) -> str:
    """Mastodon's 422 text around a reason already in `language`."""
    return translations(language).gettext("Validation failed: %(reason)s") % {"reason": reason}


def api_text(text: str, language: str) -> str:
    """A fixed text of the API (a msgid) in `language`."""
    return translations(language).gettext(text)
