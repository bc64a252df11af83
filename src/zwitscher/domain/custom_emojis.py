"""Custom emojis in text: `:shortcode:` names a picture the organisation's admins uploaded.

Shortcodes are case-sensitive (`:Blob:` and `:blob:` may be two emojis), as in Mastodon, and a
shortcode counts in text only where it stands on its own: not inside a word, a URL's port
(`host:8080:`) or a run of colons.
"""

from __future__ import annotations

import re

SHORTCODE_PATTERN = r"[a-zA-Z0-9_]{2,}"
MAX_SHORTCODE_LENGTH = 64
MAX_CATEGORY_LENGTH = 64
_SHORTCODE_RE = re.compile(rf"^{SHORTCODE_PATTERN}$")
# Mastodon's rule: no letter, digit or colon right before or after the colons.
_IN_TEXT_RE = re.compile(rf"(?<![^\W_])(?<!:):({SHORTCODE_PATTERN}):(?![^\W_])(?!:)")


def valid_shortcode(shortcode: str) -> bool:
    return len(shortcode) <= MAX_SHORTCODE_LENGTH and bool(_SHORTCODE_RE.match(shortcode))


def shortcodes_in(*texts: str | None) -> list[str]:
    """The shortcodes these texts use, each once, in order of first use."""
    found: dict[str, None] = {}
    for text in texts:
        if text and ":" in text:
            for match in _IN_TEXT_RE.finditer(text):
                if len(match.group(1)) <= MAX_SHORTCODE_LENGTH:
                    found.setdefault(match.group(1))
    return list(found)
