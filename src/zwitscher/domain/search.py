"""What a search query asks for, and the text a status is found by.

Both engines index and query the same folded text: case folded (so "Straße" is "strasse") and
without diacritics ("Müller" is "muller"). That way a word finds the same statuses on SQLite
and PostgreSQL; PostgreSQL adds stemming on top (see `db/repos/search.py`).

Query syntax, a small part of Mastodon's:
  words          all must occur (AND)
  "a phrase"     these words in this order
  -word, -"..."  must not occur
  from:name      statuses by the local account `name` (`from:@name` and `from:@name@host` too)
Every other character is text, never syntax: each term reaches the engine quoted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from zwitscher.domain.errors import ValidationFailed

MAX_QUERY_LENGTH = 500
# Each term is one more index lookup; more than this is not a search a person types.
MAX_TERMS = 16

# An optional minus, then a quoted phrase (an unclosed quote runs to the end) or a bare word.
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def fold(text: str) -> str:
    """Case folded, diacritics removed: the form both the index and queries use."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def searchable_text(*, text: str, spoiler_text: str, poll_options: Iterable[str] = (),
                    media_descriptions: Iterable[str] = ()) -> str:
    """What a status is found by, as in Mastodon: its content warning, its text (the source,
    not HTML), its poll's options and its images' descriptions."""
    parts = [spoiler_text, text, *poll_options, *media_descriptions]
    return fold("\n".join(part for part in parts if part))


@dataclass(frozen=True, slots=True)
class StatusQuery:
    terms: tuple[str, ...] = ()      # folded words or phrases; every one must match
    excluded: tuple[str, ...] = ()   # none of these may match
    author: str | None = None        # a username, from `from:`

    @property
    def is_empty(self) -> bool:
        """Nothing to search by: exclusions alone would list every status there is."""
        return not self.terms and self.author is None


def check_query_length(q: str) -> None:
    if len(q) > MAX_QUERY_LENGTH:
        raise ValidationFailed("q is longer than %(max_query_length)s characters",
                               max_query_length=MAX_QUERY_LENGTH)


def parse_status_query(q: str) -> StatusQuery:
    check_query_length(q)
    terms: list[str] = []
    excluded: list[str] = []
    author = None
    for match in _TOKEN.finditer(q):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None:
            if word.lower().startswith("from:"):
                author = word[5:].lstrip("@").partition("@")[0] or author
                continue
            negated, phrase = ("-", word[1:]) if word.startswith("-") else ("", word)
        term = " ".join(fold(phrase).replace('"', " ").split())
        # A term without a letter or digit holds no word to look up (and an empty FTS5 phrase
        # would match nothing at all, which an AND cannot survive).
        if any(ch.isalnum() for ch in term):
            (excluded if negated else terms).append(term)
    if len(terms) + len(excluded) > MAX_TERMS:
        raise ValidationFailed("q has more than %(max_terms)s words or phrases",
                               max_terms=MAX_TERMS)
    return StatusQuery(tuple(dict.fromkeys(terms)), tuple(dict.fromkeys(excluded)), author)
