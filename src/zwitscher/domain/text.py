"""Status text: find links, @mentions and #hashtags, count characters, render Mastodon's HTML.

Input is plain text. Output is the HTML Mastodon produces for the same text (paragraphs, `<br />`,
`h-card` mentions, `hashtag` links, shortened URLs with invisible spans), passed through an
allow-list sanitiser as a second line of defence.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import nh3

URL_WEIGHT = 23  # Mastodon counts every link as 23 characters, whatever its length.

# ASCII only (`(?a:`), case-insensitive: with Unicode case folding `[a-z]` would also take the
# Kelvin sign, the long s and the dotless i, so `ıan` would pass for a name beside `ian`.
USERNAME_PATTERN = r"(?a:[a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)"
USERNAME_RE = re.compile(rf"^{USERNAME_PATTERN}\Z", re.IGNORECASE)
_MENTION_RE = re.compile(
    rf"(?<![=/\w])@({USERNAME_PATTERN})(?:@([\w.-]+\w))?", re.IGNORECASE
)


def _combining_marks() -> str:
    """Unicode's marks (Mn, Mc, Me) as ranges for a regex class. They belong to the letter
    before them (the vowel signs of Hindi and Tamil, Thai's tone marks, a decomposed é), yet
    Python's `\\w` leaves them out; Mastodon's `[[:word:]]` has them. All lie below U+20000,
    but for the variation selectors at U+E0100."""
    marks = [c for c in [*range(0x300, 0x20000), *range(0xE0000, 0xE1000)]
             if unicodedata.category(chr(c)).startswith("M")]
    ranges: list[list[int]] = []
    for c in marks:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)


_MARKS = _combining_marks()
_TAG_NAME = rf"[\w{_MARKS}]*[^\W\d][\w{_MARKS}]*"  # word characters, not digits only
_HASHTAG_RE = re.compile(rf"(?<![=/)\w{_MARKS}])#({_TAG_NAME})")
_TAG_NAME_RE = re.compile(_TAG_NAME)
MAX_TAG_LENGTH = 200
_URL_RE = re.compile(r"(?<![\w@])https?://[^\s<>\"']+", re.IGNORECASE)
_URL_SCHEMES = {"http", "https"}  # what the sanitiser lets a link point to
_TRAILING_PUNCTUATION = ".,:;!?'\""


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "url" | "mention" | "hashtag"
    start: int
    end: int
    value: str  # url, username (local part) or tag name
    domain: str | None = None


def _trim_url(url: str) -> str:
    while url and url[-1] in _TRAILING_PUNCTUATION:
        url = url[:-1]
    # A closing parenthesis belongs to the URL only when it opened one.
    while url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1]
    return url


def _linkable(url: str) -> bool:
    """Whether the sanitiser keeps `url` as a link's target. It drops URLs that do not parse
    (a port over 65535, a broken host): linked, they would leave an `<a>` without `href`, so
    they stay text."""
    kept = nh3.clean(f'<a href="{html.escape(url)}"></a>', tags={"a"},
                     attributes={"a": {"href"}}, link_rel=None, url_schemes=_URL_SCHEMES)
    return "href=" in kept


def tokenize(text: str) -> list[Token]:
    """Links first; mentions and hashtags only outside links."""
    tokens: list[Token] = []
    taken: list[tuple[int, int]] = []
    for match in _URL_RE.finditer(text):
        url = _trim_url(match.group(0))
        if len(url) > len(match.group(0).split("://", 1)[0]) + 3 and _linkable(url):
            tokens.append(Token("url", match.start(), match.start() + len(url), url))
            taken.append((match.start(), match.start() + len(url)))

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for match in _MENTION_RE.finditer(text):
        if free(match.start(), match.end()):
            tokens.append(Token("mention", match.start(), match.end(), match.group(1),
                                match.group(2)))
    for match in _HASHTAG_RE.finditer(text):
        # One too long to store stays text, whole: no link to a tag that cannot exist.
        if free(match.start(), match.end()) and is_tag_name(match.group(1)):
            tokens.append(Token("hashtag", match.start(), match.end(), match.group(1)))
    tokens.sort(key=lambda t: t.start)
    return tokens


def mentioned_usernames(text: str) -> list[str]:
    """Local mentions (`@name`); remote ones (`@name@host`) have no account here."""
    seen: dict[str, None] = {}
    for token in tokenize(text):
        if token.kind == "mention" and token.domain is None:
            seen.setdefault(token.value.lower())
    return list(seen)


def hashtags(text: str) -> list[str]:
    seen: dict[str, str] = {}
    for token in tokenize(text):
        if token.kind == "hashtag":
            seen.setdefault(token.value.lower(), token.value)
    return list(seen.values())


def is_tag_name(name: str) -> bool:
    """Whether `#name` in a post would make this hashtag: letters (with their marks), digits
    and underscores, not digits only, and short enough to store, lower-cased too (`İ` becomes
    two characters)."""
    return len(name.lower()) <= MAX_TAG_LENGTH and _TAG_NAME_RE.fullmatch(name) is not None


def character_count(text: str) -> int:
    """Characters as Mastodon counts them: links weigh 23, remote mentions count without domain."""
    count = len(text)
    for token in tokenize(text):
        length = token.end - token.start
        if token.kind == "url":
            count += URL_WEIGHT - length
        elif token.kind == "mention" and token.domain:
            count -= len(token.domain) + 1
    return count


def _link_html(url: str) -> str:
    match = re.match(r"^(https?://(?:www\.)?)(.*)$", url, re.IGNORECASE)
    prefix, rest = (match.group(1), match.group(2)) if match else ("", url)
    display, hidden = rest[:30], rest[30:]
    return (
        f'<a href="{html.escape(url)}" target="_blank" rel="nofollow noopener" translate="no">'
        f'<span class="invisible">{html.escape(prefix)}</span>'
        f'<span class="{"ellipsis" if hidden else ""}">{html.escape(display)}</span>'
        f'<span class="invisible">{html.escape(hidden)}</span></a>'
    )


MentionResolver = Callable[[str, str | None], str | None]


def render_html(text: str, *, resolve_mention: MentionResolver, tag_url: Callable[[str], str]
                ) -> str:
    """Render plain status text to sanitised HTML.

    `resolve_mention(username, domain)` returns the profile URL of a known account, or None, in
    which case the mention stays plain text (as Mastodon does for unknown accounts).
    """
    pieces: list[str] = []
    cursor = 0
    for token in tokenize(text):
        pieces.append(html.escape(text[cursor:token.start], quote=False))
        original = text[token.start:token.end]
        if token.kind == "url":
            pieces.append(_link_html(token.value))
        elif token.kind == "mention":
            url = resolve_mention(token.value, token.domain)
            if url is None:
                pieces.append(html.escape(original, quote=False))
            else:
                pieces.append(
                    f'<span class="h-card" translate="no"><a href="{html.escape(url)}" '
                    f'class="u-url mention">@<span>{html.escape(token.value)}</span></a></span>'
                )
        else:
            pieces.append(
                f'<a href="{html.escape(tag_url(token.value))}" class="mention hashtag" '
                f'rel="tag">#<span>{html.escape(token.value)}</span></a>'
            )
        cursor = token.end
    pieces.append(html.escape(text[cursor:], quote=False))
    # Every line end is a break, a lone `\r` too (as Rails' `simple_format` has it).
    body = re.sub(r"\r\n?", "\n", "".join(pieces)).strip("\n")
    if not body:
        return ""
    paragraphs = [p for p in re.split(r"\n{2,}", body) if p.strip()]
    rendered = "".join(f"<p>{p.replace(chr(10), '<br />')}</p>" for p in paragraphs)
    return sanitize(rendered)


_ALLOWED_TAGS = {"p", "br", "a", "span"}
_ALLOWED_ATTRIBUTES = {"a": {"href", "rel", "class", "target", "translate"},
                       "span": {"class", "translate"}}


def sanitize(fragment: str) -> str:
    cleaned = nh3.clean(fragment, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES,
                        link_rel=None, url_schemes=_URL_SCHEMES)
    return cleaned.replace("<br>", "<br />")  # Mastodon's spelling; some clients match on it


def render_plain_note(text: str) -> str:
    """Profile notes: paragraphs and links, no mention resolution."""
    return render_html(text, resolve_mention=lambda _u, _d: None,
                       tag_url=lambda tag: f"/tags/{tag.lower()}")


def render_field_value(text: str) -> str:
    """Profile field values: one line of escaped text with links, no paragraph (as Mastodon)."""
    rendered = render_plain_note(" ".join(text.split()))
    return rendered.removeprefix("<p>").removesuffix("</p>")
