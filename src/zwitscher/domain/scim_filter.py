"""SCIM filters and PATCH paths (RFC 7644 sections 3.4.2.2, 3.5.2 and 3.10), parsed strictly.

Map: `parse_filter` reads the whole filter grammar (every operator, `and`, `or`, `not (...)`,
parentheses, `emails[type eq "work"]`) into a small tree, so a malformed filter is told apart
from one we do not support. `equalities` is what a list request may ask of the database:
`eq` comparisons joined by `and`; anything else is refused with a message naming it.
`parse_path` reads a PATCH path (`attrPath` or `valuePath` with an optional sub-attribute);
`matches` tests a value filter against one value of a multi-valued attribute in memory.

Attribute names are case-insensitive (RFC 7643 section 2.1): the tree holds them lowercased,
without the core User or Group schema URN; an extension's attribute keeps its URN.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_CORE_URNS = ("urn:ietf:params:scim:schemas:core:2.0:user:",
              "urn:ietf:params:scim:schemas:core:2.0:group:")
_NAME = r"(?:[A-Za-z][\w-]*|\$ref)"
# attrPath = [URI ":"] ATTRNAME *1subAttr; the URI, if any, ends at the last ":" before a name.
_ATTRIBUTE_PATH = re.compile(rf"(?:urn:[\w.:-]*:)?{_NAME}(?:\.{_NAME})?", re.IGNORECASE)
_SUB_ATTRIBUTE = re.compile(rf"\.({_NAME})", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_OPERATORS = frozenset({"eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le"})
_ORDERING = frozenset({"gt", "lt", "ge", "le"})


class FilterError(ValueError):
    """The text is not a filter (or asks what we cannot answer); the message says which."""


class PathError(ValueError):
    """The text is not a PATCH path (RFC 7644 section 3.5.2: `invalidPath`)."""


@dataclass(frozen=True, slots=True)
class Comparison:
    attribute: str  # "username", "emails.value"
    operator: str  # one of _OPERATORS, or "pr"
    value: str | bool | int | float | None = None


@dataclass(frozen=True, slots=True)
class Logical:
    operator: str  # "and" | "or"
    left: Filter
    right: Filter


@dataclass(frozen=True, slots=True)
class Negation:
    inner: Filter


@dataclass(frozen=True, slots=True)
class ValuePath:
    """`emails[type eq "work"]`: values of a multi-valued attribute that match `inner`, whose
    attribute names are sub-attributes ("type")."""

    attribute: str
    inner: Filter


Filter = Comparison | Logical | Negation | ValuePath


@dataclass(frozen=True, slots=True)
class Path:
    attribute: str  # "emails", "name", "urn:...:enterprise:2.0:user:department"
    value_filter: Filter | None = None  # emails[type eq "work"]
    sub_attribute: str | None = None  # "value" in emails[...].value, "formatted" in name.formatted


def parse_filter(text: str) -> Filter:
    if len(text) > 1000:
        raise FilterError("The filter is too long")
    parser = _Parser(text)
    found = parser.expression(nested=True)
    parser.end()
    return found


def equalities(found: Filter) -> list[Comparison]:
    """The `eq` comparisons of a filter that is nothing but their conjunction, each
    `emails[value eq "x"]` read as `emails.value eq "x"`."""
    if isinstance(found, Logical) and found.operator == "and":
        return equalities(found.left) + equalities(found.right)
    if isinstance(found, ValuePath) and isinstance(found.inner, Comparison):
        inner = found.inner
        return equalities(Comparison(f"{found.attribute}.{inner.attribute}", inner.operator,
                                     inner.value))
    if isinstance(found, Comparison):
        if found.operator != "eq":
            raise FilterError(f"The operator {found.operator!r} is not supported; use eq")
        return [found]
    if isinstance(found, Logical):
        raise FilterError("Comparisons may only be joined by `and`")
    if isinstance(found, Negation):
        raise FilterError("`not` is not supported; use eq, joined by `and`")
    raise FilterError("A value filter may hold only one comparison")


def parse_path(text: str) -> Path:
    """`attrPath` or `attrPath "[" valFilter "]" [subAttr]`; anything else is a PathError."""
    parser = _Parser(text)
    try:
        attribute = parser.attribute()
        if "." in attribute.removeprefix(_urn_of(attribute)) and parser.peek("["):
            raise PathError(f"Not a path: {text}")
        if not parser.peek("["):
            parser.end()
            return Path(attribute.rsplit(".", 1)[0], None, attribute.rsplit(".", 1)[1]) \
                if "." in attribute.removeprefix(_urn_of(attribute)) else Path(attribute)
        parser.expect("[")
        inner = parser.expression(nested=False)
        parser.expect("]")
        sub = parser.match(_SUB_ATTRIBUTE)
        parser.end()
    except FilterError as exc:
        raise PathError(f"Not a path: {text} ({exc})") from exc
    return Path(attribute, inner, sub.group(1).lower() if sub else None)


def matches(found: Filter, value: dict) -> bool:
    """Whether one complex value (keys lowercased) passes a value filter. Strings compare
    case-insensitively, as every sub-attribute we test has `caseExact: false`."""
    if isinstance(found, Logical):
        left = matches(found.left, value)
        return (left and matches(found.right, value)) if found.operator == "and" \
            else (left or matches(found.right, value))
    if isinstance(found, Negation):
        return not matches(found.inner, value)
    if isinstance(found, ValuePath):
        raise FilterError("A value filter cannot hold another")
    return _compare(value.get(found.attribute), found.operator, found.value)


def _compare(actual: object, operator: str, expected: object) -> bool:
    if operator == "pr":
        return actual not in (None, "", [], {})
    if isinstance(expected, bool) and operator in _ORDERING:
        raise FilterError(f"{operator} cannot compare true or false")
    if isinstance(actual, str) and isinstance(expected, str):
        actual, expected = actual.lower(), expected.lower()
    if operator in ("eq", "ne"):
        return (actual == expected) == (operator == "eq")
    if not isinstance(actual, str) or not isinstance(expected, str):
        if operator in ("co", "sw", "ew") or type(actual) is not type(expected):
            return False
    if operator == "co":
        return expected in actual
    if operator == "sw":
        return actual.startswith(expected)
    if operator == "ew":
        return actual.endswith(expected)
    return {"gt": actual > expected, "lt": actual < expected,
            "ge": actual >= expected, "le": actual <= expected}[operator]


def _urn_of(attribute: str) -> str:
    return attribute.rsplit(":", 1)[0] + ":" if ":" in attribute else ""


class _Parser:
    """Recursive descent over the ABNF of RFC 7644 figure 1; `or` binds looser than `and`."""

    def __init__(self, text: str) -> None:
        self.text, self.position = text, 0

    def expression(self, *, nested: bool) -> Filter:
        found = self.conjunction(nested=nested)
        while self.keyword("or"):
            found = Logical("or", found, self.conjunction(nested=nested))
        return found

    def conjunction(self, *, nested: bool) -> Filter:
        found = self.factor(nested=nested)
        while self.keyword("and"):
            found = Logical("and", found, self.factor(nested=nested))
        return found

    def factor(self, *, nested: bool) -> Filter:
        if self.keyword("not"):
            self.expect("(")
            inner = self.expression(nested=nested)
            self.expect(")")
            return Negation(inner)
        if self.peek("("):
            self.expect("(")
            inner = self.expression(nested=nested)
            self.expect(")")
            return inner
        attribute = self.attribute()
        if self.peek("["):
            if not nested:
                raise FilterError("A value filter cannot hold another")
            self.expect("[")
            inner = self.expression(nested=False)
            self.expect("]")
            return ValuePath(attribute, inner)
        operator = self.match(_WORD)
        if operator is None:
            raise FilterError(f"An operator is missing after {attribute!r}")
        operator_name = operator.group(0).lower()
        if operator_name == "pr":
            return Comparison(attribute, "pr")
        if operator_name not in _OPERATORS:
            raise FilterError(f"Unknown operator {operator.group(0)!r}")
        return Comparison(attribute, operator_name, self.value())

    def attribute(self) -> str:
        found = self.match(_ATTRIBUTE_PATH)
        if found is None:
            raise FilterError(f"An attribute name is expected at position {self.position}")
        name = found.group(0).lower()
        for urn in _CORE_URNS:
            name = name.removeprefix(urn)
        return name

    def value(self) -> str | bool | int | float | None:
        found = self.match(_STRING) or self.match(_NUMBER) or self.match(_WORD)
        if found is None:
            raise FilterError(f"A value is expected at position {self.position}")
        raw = found.group(0)
        if raw.lower() in ("true", "false", "null"):
            raw = raw.lower()
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise FilterError(f"The value {raw} is not a string, number, true, false or "
                              "null") from exc

    def keyword(self, word: str) -> bool:
        found = re.compile(rf"\s*{word}(?=[\s(])", re.IGNORECASE).match(self.text, self.position)
        if found is None:
            return False
        self.position = found.end()
        return True

    def peek(self, symbol: str) -> bool:
        return self.text.startswith(symbol, self._skip_space())

    def expect(self, symbol: str) -> None:
        if not self.peek(symbol):
            raise FilterError(f"{symbol!r} is expected at position {self.position}")
        self.position = self._skip_space() + len(symbol)

    def match(self, pattern: re.Pattern) -> re.Match | None:
        found = pattern.match(self.text, self._skip_space())
        if found:
            self.position = found.end()
        return found

    def end(self) -> None:
        if self._skip_space() != len(self.text):
            raise FilterError(f"Unexpected {self.text[self._skip_space():][:20]!r}")

    def _skip_space(self) -> int:
        while self.position < len(self.text) and self.text[self.position] == " ":
            self.position += 1
        return self.position
