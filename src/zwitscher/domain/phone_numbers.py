"""Phone numbers as the SMS gateway takes them: E.164 (`+4917612345678`).

People type numbers as they know them: `0176 1234567`, `(030) 123 456-78`, `+49 (0)176 …`,
`0049 …`. Google's libphonenumber (the `phonenumbers` package) reads these against a region,
the one a number without a country code belongs to (`ZWITSCHER_PHONE_REGION`), and knows for
every country which lengths and prefixes are real numbers. The library also digs a number out
of surrounding text (`call 0176 … now`): we refuse letters instead, so a typo in a contact
list is shown to the person who typed it rather than guessed at.
"""

from __future__ import annotations

import re

import phonenumbers

from zwitscher.domain.errors import ValidationFailed

MAX_SHOWN = 40

# Digits and the separators people write between them; `+` only in front.
_WRITTEN_NUMBER = re.compile(r"\+?[0-9 \u00a0()./-]+")


def is_region(code: str) -> bool:
    """Whether `code` is a region (ISO 3166 alpha-2, e.g. `DE`) the library has numbers for."""
    return code in phonenumbers.SUPPORTED_REGIONS


def normalise_phone(text: str, *, region: str) -> str:
    """The number `text` as E.164; `region` says which country a number without `+` or `00`
    belongs to. Raises ValidationFailed, naming `text`, for anything that is not a number
    which can exist (is_valid_number: a real country code, length and prefix)."""
    written = text.strip()
    if not _WRITTEN_NUMBER.fullmatch(written):
        raise _not_a_number(text)
    try:
        number = phonenumbers.parse(written, region)
    except phonenumbers.NumberParseException as exc:
        raise _not_a_number(text) from exc
    if not phonenumbers.is_valid_number(number):
        raise _not_a_number(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _not_a_number(text: str) -> ValidationFailed:
    # Named so the person finds the line in a long list; a pasted page is shortened.
    shown = text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"
    return ValidationFailed('"%(number)s" is not a valid phone number', number=shown)
