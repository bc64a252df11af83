"""Trending terms: the words and hashtags of posts, and which of them rose (pure functions).

``extract_terms`` reads a post's plain text (HTML already removed) into the set of terms it
mentions: words and hashtags, case-folded, without links, mentions, numbers, words shorter than
``MIN_LENGTH`` and the German and English stopwords in ``lexicons/stopwords_*.txt`` (both lists
always: posts mix languages and their language tag is often wrong). A hashtag stays apart from
the word (``#streik`` and ``streik``). A term counts once per post, so counts are "posts that
mention it" and one post repeating a word cannot make it trend.

``rank_trending`` compares a current window's counts with a baseline window's. Its score is
Dunning's log-likelihood ratio G² of the term's count in the two windows against their totals —
a test statistic that does not reward a word rising from 1 to 3 over one rising from 40 to 120
— for terms used more often (relative to the totals) now than before and in at least
``MIN_COUNT`` posts now. G² above 3.84 means p < 0.05, above 10.83 p < 0.001; the ranking
keeps terms from ``MIN_SCORE`` up. With an empty baseline every term is new and the terms are
ranked by their count. ``ratio`` is shown beside it: the rise of the term's share, smoothed by
one post so a new word has a finite ratio.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

MIN_LENGTH = 3
MIN_COUNT = 3
MIN_SCORE = 3.84
LIMIT = 20

_STRIP = re.compile(r"https?://\S+|www\.\S+|(?<![\w#])@[\w.@-]+")
_TERM = re.compile(r"#?[^\W\d_](?:[\w'’-]*[^\W_])?")


@dataclass(frozen=True, slots=True)
class TrendingTerm:
    term: str
    count: int
    baseline_count: int
    ratio: float
    score: float


def extract_terms(text: str) -> list[str]:
    """The distinct terms of ``text`` in the order they first appear."""
    stopwords = _stopwords()
    seen: dict[str, None] = {}
    for match in _TERM.finditer(_STRIP.sub(" ", text)):
        term = match.group().replace("’", "'").casefold().strip("'-")
        word = term.removeprefix("#")
        if len(word) < MIN_LENGTH or (not term.startswith("#") and word in stopwords):
            continue
        seen.setdefault(term, None)
    return list(seen)


def rank_trending(current: Mapping[str, int], baseline: Mapping[str, int], *,
                  current_total: int | None = None, baseline_total: int | None = None,
                  min_count: int = MIN_COUNT, limit: int = LIMIT) -> list[TrendingTerm]:
    """Terms that rose from ``baseline`` to ``current``, highest score first.

    Totals are the number of posts (or term uses) in each window; by default the sums of the
    counts given. Ties go to the larger count, then alphabetically, so the order is stable.
    """
    total_now = current_total if current_total is not None else sum(current.values())
    total_before = baseline_total if baseline_total is not None else sum(baseline.values())
    ranked = []
    for term, count in current.items():
        if count < min_count:
            continue
        before = baseline.get(term, 0)
        ratio = ((count + 1) / (total_now + 1)) / ((before + 1) / (total_before + 1))
        if total_before <= 0:
            score = float(count)
        elif count / max(total_now, 1) <= before / total_before:
            continue
        else:
            score = _g2(count, before, total_now, total_before)
            if score < MIN_SCORE:
                continue
        ranked.append(TrendingTerm(term, count, before, round(ratio, 3), round(score, 3)))
    ranked.sort(key=lambda t: (-t.score, -t.count, t.term))
    return ranked[:limit]


def _g2(a: int, b: int, c: int, d: int) -> float:
    """Dunning's G² for a term seen ``a`` times in ``c`` and ``b`` times in ``d``."""
    c, d = max(c, a), max(d, b)
    expected_a = c * (a + b) / (c + d)
    expected_b = d * (a + b) / (c + d)
    total = 0.0
    for observed, expected in ((a, expected_a), (b, expected_b)):
        if observed > 0:
            total += observed * math.log(observed / expected)
    return 2 * total


@cache
def _stopwords() -> frozenset[str]:
    words: set[str] = set()
    for name in ("stopwords_de.txt", "stopwords_en.txt"):
        text = files("zwitscher.domain").joinpath("lexicons", name).read_text(encoding="utf-8")
        for line in text.splitlines():
            if not line.startswith("#"):
                words.update(line.split())
    return frozenset(words)
