"""Monitors: saved queries matched against every new or edited post, and the matcher that
asks all of them at once.

A monitor's query has positive parts (keywords and phrases, hashtags, accounts, groups) and
exclusions; a post matches when at least one positive part matches, no exclusion does, and
(when the monitor names languages) the post's language is one of them. Keywords are literal
text, compared case-insensitively: `.*` or `(a|b)` is looked for as those characters, never
run as a pattern. A whole-word keyword matches only where the characters on either side of it
are not letters or digits (of any script).

`MonitorIndex` is built over every monitor's terms once (one Aho-Corasick automaton for all
keywords and exclusions, dicts for hashtags, accounts and groups), so matching a post costs one
pass over its text however many monitors there are; it is rebuilt when the monitors change
(`services/match_monitors.py` keeps it per process, by the version the database holds).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import ahocorasick

from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.public_addresses import (
    Network,
    is_public_address,
    names_own_network,
    parse_address,
)

MAX_TERMS = 200
MAX_TERM_LENGTH = 100
MAX_NAME = 100
MAX_MONITORS_PER_OWNER = 50
MAX_LANGUAGES = 20
ALERT_CHANNELS = ("email", "push", "webhook")


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    whole_word: bool = False


@dataclass(frozen=True, slots=True)
class MonitorQuery:
    keywords: tuple[Term, ...] = ()
    exclusions: tuple[Term, ...] = ()
    languages: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()  # lower case, without '#'
    account_ids: tuple[int, ...] = ()
    group_ids: tuple[int, ...] = ()

    @property
    def has_positive_part(self) -> bool:
        return bool(self.keywords or self.hashtags or self.account_ids or self.group_ids)

    def stored(self) -> dict:
        """The columns of a `monitors` row."""
        return {"keywords": [_term_json(t) for t in self.keywords],
                "exclusions": [_term_json(t) for t in self.exclusions],
                "languages": list(self.languages), "hashtags": list(self.hashtags),
                "account_ids": [str(i) for i in self.account_ids],
                "group_ids": [str(i) for i in self.group_ids]}


def _term_json(term: Term) -> dict:
    return {"term": term.text, "whole_word": term.whole_word}


def query_of(row) -> MonitorQuery:
    """A `monitors` row's query."""
    return MonitorQuery(
        keywords=tuple(Term(t["term"], bool(t["whole_word"])) for t in row.keywords),
        exclusions=tuple(Term(t["term"], bool(t["whole_word"])) for t in row.exclusions),
        languages=tuple(row.languages), hashtags=tuple(row.hashtags),
        account_ids=tuple(int(i) for i in row.account_ids),
        group_ids=tuple(int(i) for i in row.group_ids))


# Checks of what people send; each refusal is a 422 that changes nothing.

def checked_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("A monitor needs a name")
    if len(name) > MAX_NAME:
        raise ValidationFailed("A monitor's name is at most %(count)s characters", count=MAX_NAME)
    return name


def checked_terms(raw: Iterable[Term]) -> tuple[Term, ...]:
    """Terms trimmed, each 1 to MAX_TERM_LENGTH characters, duplicates (ignoring case) once."""
    found: dict[tuple[str, bool], Term] = {}
    for term in raw:
        text = " ".join(term.text.split())
        if not text:
            raise ValidationFailed("A keyword can't be empty or only spaces")
        if len(text) > MAX_TERM_LENGTH:
            raise ValidationFailed("A keyword is at most %(count)s characters: %(keyword)s",
                                   count=MAX_TERM_LENGTH, keyword=text[:MAX_TERM_LENGTH] + "…")
        found.setdefault((text.lower(), term.whole_word), Term(text, term.whole_word))
    return tuple(found.values())


def checked_hashtags(raw: Iterable[str]) -> tuple[str, ...]:
    tags = []
    for tag in raw:
        name = tag.strip().lstrip("#").strip().lower()
        if not name:
            raise ValidationFailed("A hashtag can't be empty")
        if len(name) > MAX_TERM_LENGTH or not all(c.isalnum() or c == "_" for c in name):
            raise ValidationFailed("Not a hashtag: %(hashtag)s", hashtag=name[:MAX_TERM_LENGTH])
        tags.append(name)
    return tuple(dict.fromkeys(tags))


def checked_languages(raw: Iterable[str]) -> tuple[str, ...]:
    languages = tuple(dict.fromkeys(code.strip().lower() for code in raw if code.strip()))
    if len(languages) > MAX_LANGUAGES:
        raise ValidationFailed("A monitor names at most %(count)s languages",
                               count=MAX_LANGUAGES)
    for code in languages:
        if not (2 <= len(code) <= 3 and code.isascii() and code.isalpha()):
            raise ValidationFailed("Not a language code: %(language)s", language=code[:16])
    return languages


def check_size(query: MonitorQuery) -> None:
    terms = (len(query.keywords) + len(query.exclusions) + len(query.hashtags)
             + len(query.account_ids) + len(query.group_ids))
    if terms > MAX_TERMS:
        raise ValidationFailed("A monitor has at most %(count)s terms, not %(given)s",
                               count=MAX_TERMS, given=terms)
    if not query.has_positive_part:
        raise ValidationFailed("A monitor needs at least one keyword, hashtag, account or group")


# Matching.

@dataclass(frozen=True, slots=True)
class Post:
    """What a post is matched on: its plain text (content warning, text, media descriptions),
    language, hashtags (lower case), author and addressed groups."""

    text: str
    language: str | None
    hashtags: tuple[str, ...] = ()
    account_id: int = 0
    group_ids: tuple[int, ...] = ()


@dataclass(slots=True)
class _Entry:
    monitor_id: int
    term: str  # as the monitor wrote it
    whole_word: bool
    exclusion: bool


@dataclass(slots=True)
class MonitorIndex:
    """Every monitor's query in one structure (see the module's docstring)."""

    automaton: ahocorasick.Automaton | None = None
    hashtags: dict[str, list[int]] = field(default_factory=dict)
    accounts: dict[int, list[int]] = field(default_factory=dict)
    groups: dict[int, list[int]] = field(default_factory=dict)
    languages: dict[int, frozenset[str]] = field(default_factory=dict)
    # Monitors with exclusions: only they need the exclusion hits looked at.
    size: int = 0

    @classmethod
    def build(cls, queries: Mapping[int, MonitorQuery]) -> MonitorIndex:
        index = cls(size=len(queries))
        words: dict[str, list[_Entry]] = {}
        for monitor_id, query in queries.items():
            for terms, exclusion in ((query.keywords, False), (query.exclusions, True)):
                for term in terms:
                    words.setdefault(term.text.lower(), []).append(
                        _Entry(monitor_id, term.text, term.whole_word, exclusion))
            for tag in query.hashtags:
                index.hashtags.setdefault(tag, []).append(monitor_id)
            for account_id in query.account_ids:
                index.accounts.setdefault(account_id, []).append(monitor_id)
            for group_id in query.group_ids:
                index.groups.setdefault(group_id, []).append(monitor_id)
            if query.languages:
                index.languages[monitor_id] = frozenset(query.languages)
        if words:
            automaton = ahocorasick.Automaton()
            for word, entries in words.items():
                automaton.add_word(word, (len(word), entries))
            automaton.make_automaton()
            index.automaton = automaton
        return index

    def match(self, post: Post) -> dict[int, tuple[str, ...]]:
        """Monitor id -> what matched (keywords as written, `#tag`, `@account`, `group`)."""
        if not self.size:
            return {}
        found: dict[int, list[str]] = {}
        vetoed: set[int] = set()
        if self.automaton is not None and post.text:
            # Runs of spaces count as one, as in the terms (not line breaks: the parts of a
            # post are kept apart by blank lines, so no phrase matches across two of them).
            lowered = _SPACES.sub(" ", post.text).lower()
            for end, (length, entries) in self.automaton.iter(lowered):
                start = end - length + 1
                bounded = None
                for entry in entries:
                    if entry.whole_word:
                        if bounded is None:
                            bounded = _bounded(lowered, start, end)
                        if not bounded:
                            continue
                    if entry.exclusion:
                        vetoed.add(entry.monitor_id)
                    else:
                        terms = found.setdefault(entry.monitor_id, [])
                        if entry.term not in terms:
                            terms.append(entry.term)
        for tag in post.hashtags:
            for monitor_id in self.hashtags.get(tag, ()):
                found.setdefault(monitor_id, []).append("#" + tag)
        for monitor_id in self.accounts.get(post.account_id, ()):
            found.setdefault(monitor_id, []).append("@account")
        for group_id in post.group_ids:
            for monitor_id in self.groups.get(group_id, ()):
                found.setdefault(monitor_id, []).append("group")
        language = (post.language or "").lower()
        return {monitor_id: tuple(terms) for monitor_id, terms in found.items()
                if monitor_id not in vetoed
                and (monitor_id not in self.languages or language in self.languages[monitor_id])}


def _bounded(text: str, start: int, end: int) -> bool:
    """Whether text[start:end + 1] stands as a word of its own (its edges may be anything)."""
    before = text[start - 1] if start > 0 else ""
    after = text[end + 1] if end + 1 < len(text) else ""
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


# Webhooks.

MAX_WEBHOOK_URL = 2000
MAX_WEBHOOK_SECRET = 200
_SPACES = re.compile(r"[^\S\n]+")
_UNSAFE_URL = re.compile(r"[\x00-\x20\x7f]")


def checked_webhook_url(raw: str, *, allowed: tuple[Network, ...] = ()) -> str:
    """An http(s) URL on the public internet (or in one of the `allowed` networks the operator
    named). Names are checked again, after resolving, each time a webhook is sent."""
    raw = raw.strip()
    if not raw or len(raw) > MAX_WEBHOOK_URL or _UNSAFE_URL.search(raw):
        raise ValidationFailed("The webhook is not a valid URL")
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise ValidationFailed("The webhook is not a valid URL") from exc
    if parts.scheme.lower() not in ("https", "http") or not parts.hostname \
            or parts.username is not None or port == 0:
        raise ValidationFailed("The webhook must be an http:// or https:// URL")
    host = parts.hostname
    literal = parse_address(host)
    if literal is not None and is_public_address(host, allowed):
        return raw
    if names_own_network(host) or literal is not None:
        raise ValidationFailed("The webhook must be on the public internet")
    return raw
