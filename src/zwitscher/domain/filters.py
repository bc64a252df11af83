"""Filters (Mastodon's v2 filters): what one may hold, and which statuses it matches.

A filter has a title, the contexts it applies in, an action (`warn`: show with a warning,
`hide`: leave out, `blur`: blur media), an optional expiry, keywords and statuses.

Matching: a person's filters for one context are compiled into one `FilterMatcher`, an
Aho-Corasick automaton over every keyword (lower-cased), so a status is searched once, in time
linear in its text, however many keywords there are. Keywords are never regular expressions:
`(a+)+$` is just those six characters. We measured a regex alternation of the 10,000
keywords the limits allow: 1.2 s to compile and 30 ms per status; the automaton is built in
milliseconds and searches a status in microseconds. As Mastodon, `whole_word` means that a
keyword beginning (ending) with a word character must begin (end) at a word boundary; other
keywords match anywhere; matching ignores case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import ahocorasick

from zwitscher.domain.errors import ValidationFailed

CONTEXTS = ("home", "notifications", "public", "thread", "account")
ACTIONS = ("warn", "hide", "blur")
MAX_FILTERS = 100
MAX_KEYWORDS = 100  # per filter
MAX_STATUSES = 100  # per filter
MAX_KEYWORD_LENGTH = 100
MAX_TITLE_LENGTH = 200
MAX_EXPIRES_IN = 10 * 365 * 24 * 3600

_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Keyword:
    id: int
    keyword: str
    whole_word: bool


@dataclass(frozen=True, slots=True)
class Filter:
    id: int
    title: str
    context: tuple[str, ...]
    action: str
    expires_at: datetime | None
    keywords: tuple[Keyword, ...] = ()
    # (entry id, status id) of each status the filter holds; `status_ids` for matching.
    status_entries: tuple[tuple[int, int], ...] = ()
    status_ids: frozenset[int] = frozenset()

    def active(self, now: datetime) -> bool:
        return self.expires_at is None or self.expires_at > now


@dataclass(frozen=True, slots=True)
class FilterMatch:
    filter: Filter
    keyword_matches: tuple[str, ...]
    status_matches: tuple[int, ...]


def _is_word_char(char: str) -> bool:
    return bool(_WORD_CHAR.match(char))


class FilterMatcher:
    """One viewer's filters for one context (or for every context, when it is None)."""

    def __init__(self, filters: Iterable[Filter], context: str | None) -> None:
        self.filters = [f for f in filters if context is None or context in f.context]
        self._automaton: ahocorasick.Automaton | None = None
        entries: dict[str, list[tuple[int, Keyword]]] = {}
        for index, rule in enumerate(self.filters):
            for keyword in rule.keywords:
                entries.setdefault(keyword.keyword.lower(), []).append((index, keyword))
        if entries:
            self._automaton = ahocorasick.Automaton()
            for lowered, owners in entries.items():
                self._automaton.add_word(lowered, (len(lowered), owners))
            self._automaton.make_automaton()

    def __bool__(self) -> bool:
        return bool(self.filters)

    def match(self, *, text: str, status_ids: Iterable[int], now: datetime
              ) -> list[FilterMatch]:
        """The filters `text` (or one of `status_ids`: a status and what it reblogs) matches,
        each with the keywords and statuses that matched, in the filters' order."""
        keywords = self._keyword_matches(text) if self._automaton is not None else {}
        ids = set(status_ids)
        found = []
        for index, rule in enumerate(self.filters):
            if not rule.active(now):
                continue
            statuses = tuple(sorted(ids & rule.status_ids))
            matched = tuple(k.keyword for k in rule.keywords if k.id in keywords.get(index, ()))
            if matched or statuses:
                found.append(FilterMatch(rule, matched, statuses))
        return found

    def _keyword_matches(self, text: str) -> dict[int, set[int]]:
        """Filter index -> ids of its keywords found in `text`."""
        lowered = text.lower()
        found: dict[int, set[int]] = {}
        for end, (length, owners) in self._automaton.iter(lowered):
            start = end - length + 1
            for index, keyword in owners:
                if keyword.id in found.get(index, ()):
                    continue
                if keyword.whole_word and not _at_word_boundaries(lowered, start, end):
                    continue
                found.setdefault(index, set()).add(keyword.id)
        return found


def _at_word_boundaries(text: str, start: int, end: int) -> bool:
    if _is_word_char(text[start]) and start > 0 and _is_word_char(text[start - 1]):
        return False
    return not (_is_word_char(text[end]) and end + 1 < len(text)
                and _is_word_char(text[end + 1]))


def searchable_text(*, text: str, spoiler_text: str, poll_options: Iterable[str] = (),
                    media_descriptions: Iterable[str] = ()) -> str:
    """What keywords are matched against, as Mastodon matches them: the content warning, the
    text as written, the poll's options and the images' descriptions. Parts are kept apart by
    blank lines, so no keyword matches across two of them."""
    parts = [spoiler_text, text, *poll_options, *media_descriptions]
    return "\n\n".join(part for part in parts if part)


def is_hidden(matches: Iterable[FilterMatch]) -> bool:
    return any(match.filter.action == "hide" for match in matches)


# Checks of what people send; each refusal is Mastodon's 422.

def checked_title(title: str | None) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationFailed("Title can't be blank")
    if len(title) > MAX_TITLE_LENGTH:
        raise ValidationFailed("Title is too long (maximum is %(max_title_length)s characters)",
                               max_title_length=MAX_TITLE_LENGTH)
    return title


def checked_context(values: Iterable[str]) -> tuple[str, ...]:
    context = tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
    if not context or any(value not in CONTEXTS for value in context):
        raise ValidationFailed("Context can't be blank, Context None or invalid context supplied")
    return context


def checked_action(action: str | None) -> str:
    action = action or "warn"
    if action not in ACTIONS:
        raise ValidationFailed("Filter action must be one of %(choices)s",
                               choices=', '.join(ACTIONS))
    return action


def checked_keyword(keyword: str | None) -> str:
    if not keyword or not keyword.strip():
        raise ValidationFailed("Keyword can't be blank")
    if len(keyword) > MAX_KEYWORD_LENGTH:
        raise ValidationFailed(
            "Keyword is too long (maximum is %(maximum)s characters)",
            maximum=MAX_KEYWORD_LENGTH)
    return keyword


def expiry(expires_in: int | None, now: datetime) -> datetime | None:
    """When a filter given `expires_in` seconds ends; None (or nothing) for never."""
    if expires_in is None:
        return None
    if not 0 < expires_in <= MAX_EXPIRES_IN:
        raise ValidationFailed("Expires in must be between 1 and %(max_expires_in)s seconds",
                               max_expires_in=MAX_EXPIRES_IN)
    return now + timedelta(seconds=expires_in)
