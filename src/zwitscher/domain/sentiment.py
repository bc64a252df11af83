"""Explainable sentiment of a post's plain text, in German and English (pure functions).

One scorer for both languages, following the rules VADER documents (Hutto & Gilbert, 2014), so
each word's part in the result can be shown:

- every word or phrase found in the language's lexicon contributes its valence (-4 .. +4);
  phrases ("funktioniert nicht", "went down") are matched before single words;
- an intensifier ("sehr", "very") among the three words before it adds ``B_INCR`` (0.293,
  scaled 1 / 0.95 / 0.9 by distance) towards its sign, a dampener ("etwas", "slightly")
  takes as much away; a word in capitals among words that are not adds ``C_INCR`` (0.733);
- a negation ("nicht", "kein", "not") within three words before it, in the same clause,
  multiplies it by ``N_SCALAR`` (-0.74). German also negates after the verb ("gefällt mir
  nicht"): a negation with no lexicon word after it in its clause negates the nearest one
  before it (within three words);
- "but" / "aber", "jedoch", "allerdings": in the sentence that holds it, words before it count
  half, words after it one and a half times;
- up to four "!" add 0.292 each towards the sign of the sum;
- the sum is squashed into [-1, 1]: ``compound = s / sqrt(s² + 15)``. The label is positive
  from ``POSITIVE_FROM`` (0.05) up, negative from ``NEGATIVE_FROM`` (-0.05) down, neutral
  between (VADER's documented thresholds).

English reads VADER's own lexicon (MIT licence, shipped in the ``vaderSentiment`` package) with
a supplement of ours; German reads ours (``lexicons/de.tsv``), and tries an unknown word again
without a German ending ("freundliche" -> "freundlich") and as a compound's last part
("Stromausfall" -> "ausfall"). Emoji use one shared table. See docs/monitoring.md ("Sentiment")
for the sources, licences and measured accuracy.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal

from vaderSentiment.vaderSentiment import B_DECR, B_INCR, BOOSTER_DICT, C_INCR, N_SCALAR, NEGATE

Label = Literal["positive", "negative", "neutral"]

LANGUAGES = ("de", "en")
POSITIVE_FROM = 0.05
NEGATIVE_FROM = -0.05
ALPHA = 15  # VADER's normalisation constant
EXCLAMATION = 0.292  # per "!", at most MAX_EXCLAMATIONS of them
MAX_EXCLAMATIONS = 4
WINDOW = 3  # words an intensifier or a negation reaches
BUT_BEFORE = 0.5
BUT_AFTER = 1.5

_DE_NEGATIONS = frozenset({
    "nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals",
    "nichts", "ohne", "weder", "niemand", "nirgends", "nimmer",
})
_DE_BOOSTERS = {word: B_INCR for word in (
    "sehr", "total", "echt", "wirklich", "richtig", "extrem", "äußerst", "absolut", "völlig",
    "komplett", "besonders", "unglaublich", "enorm", "höchst", "ziemlich", "durchweg", "voll",
    "stark", "massiv", "wahnsinnig", "zutiefst", "unheimlich", "ungemein", "überaus", "so",
    "sowas", "dermaßen", "derart", "zu", "viel", "immer", "ständig", "schon",
)} | {word: B_DECR for word in (
    "etwas", "bisschen", "kaum", "wenig", "leicht", "eher", "halbwegs", "teilweise", "fast",
    "einigermaßen", "relativ",
)}
# Post-verbal negations ("gefällt mir nicht") that may reach back; "kein", "niemand" do not.
_DE_NEGATIONS_BACK = frozenset({"nicht", "nie", "niemals", "nimmer"})
_DE_BUT = frozenset({"aber", "jedoch", "allerdings", "sondern", "trotzdem", "dennoch"})
# Sentence adverbs a negation never turns ("leider nicht das" is not "not unfortunately").
_UNNEGATED = frozenset({"leider", "bedauerlicherweise", "glücklicherweise", "danke",
                        "unfortunately", "sadly", "thankfully", "luckily", "thanks"})
_EN_NEGATIONS = frozenset(NEGATE) | {"no", "nobody", "nor", "neither", "never"}
_EN_BOOSTERS = dict(BOOSTER_DICT)
_EN_BUT = frozenset({"but", "however", "yet"})
_DE_ENDINGS = ("ern", "en", "em", "er", "es", "e", "n", "s")
_MIN_STEM = 4
_MIN_COMPOUND_TAIL = 5

_STRIP = re.compile(r"https?://\S+|(?<!\w)@[\w.@-]+")
_TOKEN = re.compile(r"(?P<word>[^\W_](?:[\w'’-]*[^\W_])?)|(?P<stop>[.!?…]+)|(?P<pause>[,;:–—()])"
                    r"|(?P<other>\S)")


@dataclass(frozen=True, slots=True)
class Reason:
    """One word, phrase, emoji or rule that moved the score. ``term`` is as written (lower
    case), ``entry`` the lexicon entry it matched, ``contribution`` its part of the sum after
    the rules named in ``rules`` ("negated", "intensified", "dampened", "capitals",
    "before but", "after but"; "exclamation" for the "!" rule)."""

    term: str
    entry: str
    valence: float
    contribution: float
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Sentiment:
    """``language`` is None when the text's language has no lexicon: then nothing was scored
    (compound 0, neutral, no reasons) and callers should leave it out of shares."""

    compound: float
    label: Label
    reasons: tuple[Reason, ...]
    language: str | None


@dataclass(frozen=True, slots=True)
class _Language:
    lexicon: dict[str, float]
    phrases: dict[tuple[str, ...], float]
    negations: frozenset[str]
    boosters: dict[str, float]
    but_words: frozenset[str]
    german: bool


def primary_language(language: str | None) -> str | None:
    """'de-AT' -> 'de'; None for languages without a lexicon."""
    if not language:
        return None
    code = language.split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else None


def score(text: str, language: str | None) -> Sentiment:
    """The sentiment of ``text`` (plain text, HTML already removed) in ``language``."""
    code = primary_language(language)
    if code is None:
        return Sentiment(0.0, "neutral", (), None)
    rules = _rules(code)
    tokens = _tokens(text)
    caps_differ = _caps_differ(tokens)
    reasons: list[Reason] = []
    for sentence in _sentences(tokens):
        reasons.extend(_score_sentence(sentence, rules, caps_differ))
    total = sum(reason.contribution for reason in reasons)
    exclamations = min(text.count("!"), MAX_EXCLAMATIONS)
    if exclamations and total:
        boost = math.copysign(exclamations * EXCLAMATION, total)
        reasons.append(Reason("!" * exclamations, "!", 0.0, round(boost, 4), ("exclamation",)))
        total += boost
    compound = max(-1.0, min(1.0, total / math.sqrt(total * total + ALPHA)))
    compound = round(compound, 4)
    label: Label = ("positive" if compound >= POSITIVE_FROM
                    else "negative" if compound <= NEGATIVE_FROM else "neutral")
    reasons.sort(key=lambda reason: (-abs(reason.contribution), reason.term))
    return Sentiment(compound, label, tuple(reasons), code)


@dataclass(slots=True)
class _Token:
    text: str  # as written
    kind: str  # word | stop | pause | other
    lower: str


@dataclass(slots=True)
class _Item:
    start: int  # index of its first token in the sentence
    end: int  # index after its last token
    term: str
    entry: str
    valence: float


def _tokens(text: str) -> list[_Token]:
    text = _STRIP.sub(" ", text.replace("’", "'").replace("\ufe0f", ""))
    return [_Token(m.group(), m.lastgroup or "other", m.group().lower())
            for m in _TOKEN.finditer(text)]


def _caps_differ(tokens: list[_Token]) -> bool:
    words = [t.text for t in tokens if t.kind == "word" and any(c.isalpha() for c in t.text)]
    capitals = sum(1 for w in words if w.isupper() and len(w) > 1)
    return 0 < capitals < len(words)


def _sentences(tokens: list[_Token]) -> list[list[_Token]]:
    sentences, current = [], []
    for token in tokens:
        current.append(token)
        if token.kind == "stop":
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return sentences


def _score_sentence(tokens: list[_Token], rules: _Language, caps_differ: bool) -> list[Reason]:
    items = _items(tokens, rules)
    if not items:
        return []
    covered = {i for item in items for i in range(item.start, item.end)}
    clause = _clauses(tokens, rules)
    negated = _negated(tokens, items, covered, clause, rules)
    but_at = next((i for i, t in enumerate(tokens) if t.lower in rules.but_words
                   and i not in covered), None)
    reasons = []
    for index, item in enumerate(items):
        value, applied = item.valence, []
        if caps_differ and tokens[item.start].text.isupper() and len(item.term) > 1:
            value += math.copysign(C_INCR, value)
            applied.append("capitals")
        boost = _boost(tokens, item, covered, clause, rules)
        if boost:
            value += boost if value > 0 else -boost
            applied.append("intensified" if boost > 0 else "dampened")
        if index in negated:
            value *= N_SCALAR
            applied.append("negated")
        if but_at is not None:
            value *= BUT_BEFORE if item.start < but_at else BUT_AFTER
            applied.append("before but" if item.start < but_at else "after but")
        reasons.append(Reason(item.term, item.entry, item.valence, round(value, 4),
                              tuple(applied)))
    return reasons


def _items(tokens: list[_Token], rules: _Language) -> list[_Item]:
    """Lexicon words, phrases and emoji in the sentence, longest phrase first."""
    items, i = [], 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "other":
            valence = _emoji().get(token.text)
            if valence is not None:
                items.append(_Item(i, i + 1, token.text, token.text, valence))
            i += 1
            continue
        if token.kind != "word":
            i += 1
            continue
        found = None
        for length in (3, 2):
            words = tokens[i:i + length]
            if len(words) == length and all(t.kind == "word" for t in words):
                key = tuple(t.lower for t in words)
                if key in rules.phrases:
                    found = _Item(i, i + length, " ".join(key), " ".join(key),
                                  rules.phrases[key])
                    break
        if found is None and token.lower not in rules.boosters \
                and token.lower not in rules.negations:
            entry = _lookup(token.lower, rules)
            if entry is not None:
                found = _Item(i, i + 1, token.lower, entry, rules.lexicon[entry])
        if found is not None:
            if found.valence:  # a word rated 0 ("please") is known, and moves nothing
                items.append(found)
            i = found.end
        else:
            i += 1
    return items


def _lookup(word: str, rules: _Language) -> str | None:
    if word in rules.lexicon:
        return word
    if not rules.german:
        return None
    for candidate in _german_forms(word):
        if candidate in rules.lexicon:
            return candidate
    for start in range(3, len(word) - _MIN_COMPOUND_TAIL + 1):
        for candidate in (word[start:], *_german_forms(word[start:])):
            if len(candidate) >= _MIN_COMPOUND_TAIL and candidate in rules.lexicon:
                return candidate
    return None


def _german_forms(word: str) -> list[str]:
    return [word[:-len(ending)] for ending in _DE_ENDINGS
            if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM]


def _clauses(tokens: list[_Token], rules: _Language) -> list[int]:
    """The clause number of each token: commas, dashes and "but" words start a new one."""
    numbers, number = [], 0
    for token in tokens:
        if token.kind == "pause" or token.lower in rules.but_words:
            number += 1
        numbers.append(number)
    return numbers


def _window(tokens: list[_Token], clause: list[int], at: int, step: int) -> list[int]:
    """Up to WINDOW word positions from ``at`` in direction ``step`` within its clause."""
    out, i = [], at + step
    while 0 <= i < len(tokens) and len(out) < WINDOW and clause[i] == clause[at]:
        if tokens[i].kind == "word":
            out.append(i)
        i += step
    return out


def _boost(tokens: list[_Token], item: _Item, covered: set[int], clause: list[int],
           rules: _Language) -> float:
    total = 0.0
    for distance, i in enumerate(_window(tokens, clause, item.start, -1)):
        if i not in covered and tokens[i].lower in rules.boosters:
            total += rules.boosters[tokens[i].lower] * (1.0, 0.95, 0.9)[distance]
    return total


def _negated(tokens: list[_Token], items: list[_Item], covered: set[int], clause: list[int],
             rules: _Language) -> set[int]:
    """Indexes of the items a negation word reaches (each negation reaches one item)."""
    starts = {item.start: index for index, item in enumerate(items)}
    ends = {item.end - 1: index for index, item in enumerate(items)}
    negated: set[int] = set()
    for i, token in enumerate(tokens):
        if token.kind != "word" or token.lower not in rules.negations or i in covered:
            continue
        after = next((starts[j] for j in _window(tokens, clause, i, 1) if j in starts), None)
        if after is not None and items[after].entry not in _UNNEGATED:
            negated.add(after)
        elif rules.german and token.lower in _DE_NEGATIONS_BACK:
            before = next((ends[j] for j in _window(tokens, clause, i, -1) if j in ends
                           and items[ends[j]].entry not in _UNNEGATED), None)
            if before is not None:
                negated.add(before)
    return negated


def _read_table(name: str) -> dict[str, float]:
    table = {}
    for line in files("zwitscher.domain").joinpath("lexicons", name).read_text(
            encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            term, valence = line.split("\t")[:2]
            table[term.strip()] = float(valence)
    return table


@cache
def _emoji() -> dict[str, float]:
    return _read_table("emoji.tsv")


@cache
def _vader_lexicon() -> dict[str, float]:
    text = files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].strip():
            table[parts[0].strip()] = float(parts[1])
    return table


@cache
def _rules(code: str) -> _Language:
    if code == "de":
        table, negations, boosters, but_words = (
            _read_table("de.tsv"), _DE_NEGATIONS, _DE_BOOSTERS, _DE_BUT)
    else:
        table = _vader_lexicon() | _read_table("en.tsv")
        negations, boosters, but_words = _EN_NEGATIONS, _EN_BOOSTERS, _EN_BUT
    words = {term: value for term, value in table.items() if " " not in term}
    phrases = {tuple(term.split()): value for term, value in table.items() if " " in term}
    return _Language(words, phrases, negations, boosters, but_words, code == "de")
