"""SCIM filters (RFC 7644 section 3.4.2.2), the part directories actually send.

Entra ID, Okta and Keycloak look people and groups up by one attribute before they create them
(`userName eq "ana@example.org"`, `externalId eq "..."`, `displayName eq "Sales"`), sometimes
two joined by `and`. That is what this parser accepts: `ATTRIBUTE eq VALUE [and ...]`, where
the attribute may carry its schema URN and `emails[value eq "x"]` is read as
`emails.value eq "x"`. Anything else (other operators, `or`, `not`, parentheses) is refused
with a clear message rather than half understood; the caller answers `invalidFilter`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_CORE_URNS = ("urn:ietf:params:scim:schemas:core:2.0:user:",
              "urn:ietf:params:scim:schemas:core:2.0:group:")
_ATTRIBUTE = r"[A-Za-z][\w$-]*(?::[\w$.-]+)*(?:\.[A-Za-z][\w$-]*)?"
_VALUE = r'"(?:[^"\\]|\\.)*"|true|false|null|-?\d+(?:\.\d+)?'
_COMPARISON = re.compile(rf"\s*({_ATTRIBUTE})\s+([A-Za-z]+)\s+({_VALUE})\s*", re.IGNORECASE)
_VALUE_PATH = re.compile(rf"\s*([A-Za-z][\w$-]*)\[\s*([A-Za-z][\w$-]*)\s+([A-Za-z]+)\s+"
                         rf"({_VALUE})\s*\]\s*", re.IGNORECASE)
_AND = re.compile(r"\s*and\s+", re.IGNORECASE)


class FilterError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Comparison:
    attribute: str  # lowercased, without the core schema URN: "username", "emails.value"
    value: str | bool | float | None


def parse_filter(text: str, *, allowed: frozenset[str]) -> list[Comparison]:
    """The comparisons of `text`, all of which must hold; `allowed` names the attributes
    (lowercased) the caller can search by."""
    if len(text) > 1000:
        raise FilterError("The filter is too long")
    comparisons, position = [], 0
    while True:
        match = _VALUE_PATH.match(text, position)
        if match:
            attribute = f"{match.group(1)}.{match.group(2)}"
            operator, raw = match.group(3), match.group(4)
        else:
            match = _COMPARISON.match(text, position)
            if not match:
                raise FilterError("Only comparisons of the form `attribute eq \"value\"`, "
                                  "joined by `and`, are supported")
            attribute, operator, raw = match.groups()
        if operator.lower() != "eq":
            raise FilterError(f"The operator {operator!r} is not supported; use eq")
        comparisons.append(Comparison(_attribute(attribute, allowed), _value(raw)))
        position = match.end()
        if position == len(text):
            return comparisons
        joined = _AND.match(text, position)
        if not joined:
            raise FilterError("Comparisons may only be joined by `and`")
        position = joined.end()


def _attribute(name: str, allowed: frozenset[str]) -> str:
    lowered = name.lower()
    for urn in _CORE_URNS:
        if lowered.startswith(urn):
            lowered = lowered[len(urn):]
    if lowered not in allowed:
        raise FilterError(f"Filtering by {name!r} is not supported; use one of "
                          f"{', '.join(sorted(allowed))}")
    return lowered


def _value(raw: str) -> str | bool | float | None:
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise FilterError(f"The value {raw} is not a valid string") from exc
