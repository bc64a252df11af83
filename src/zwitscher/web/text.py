"""Small text helpers of the web pages' templates."""

from __future__ import annotations

import re

WORD = re.compile(r"\w", re.UNICODE)


def initials(name: str) -> str:
    """The letters an avatar placeholder shows: of the first and the last word ("Ada
    Lovelace" -> "AL", "ada" -> "A"); a name without letters shows its first character."""
    words = [word for word in name.split() if WORD.search(word)]
    if not words:
        return name.strip()[:1] or "?"
    first = WORD.search(words[0]).group()
    last = WORD.search(words[-1]).group() if len(words) > 1 else ""
    return (first + last).upper()
