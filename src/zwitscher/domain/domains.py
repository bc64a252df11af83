"""Domain names as people type them into a domain block: checked, and in one canonical form."""

from __future__ import annotations

import re

from zwitscher.domain.errors import ValidationFailed

MAX_LENGTH = 253
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalize_domain(raw: str) -> str:
    """`Example.COM.` -> `example.com`; international names in their ASCII (punycode) form.
    Anything with a scheme, a path, a port, spaces or an `@` is refused, not guessed at."""
    domain = raw.strip().rstrip(".").lower()
    if not domain:
        raise ValidationFailed("Domain must not be blank")
    if len(raw) > MAX_LENGTH + 1:
        raise ValidationFailed("Domain is longer than %(max_length)s characters",
                               max_length=MAX_LENGTH)
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValidationFailed("Domain is not a valid domain name") from exc
    labels = ascii_domain.split(".")
    if len(ascii_domain) > MAX_LENGTH or not all(_LABEL.match(label) for label in labels):
        raise ValidationFailed("Domain is not a valid domain name (no scheme, path or port)")
    return ascii_domain


def host_of(url: str) -> str:
    """The host of `https://host:port/...`, lower case, without the port."""
    rest = url.split("://", 1)[-1]
    host = rest.split("/", 1)[0]
    return host.rsplit(":", 1)[0].lower() if not host.startswith("[") else host.lower()
