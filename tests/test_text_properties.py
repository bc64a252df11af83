"""Properties of status text rendering (`zwitscher.domain.text`) that hold for any text typed.

The texts are generated from pieces people and attackers type: words in several scripts
(emoji, right-to-left, combining marks, zero-width characters), @names (known, unknown,
remote), #tags, links (with punctuation, parentheses, odd hosts), HTML and entities, and line
breaks of every kind. No NUL: the API and the web forms refuse it before any text is parsed.

The rendering is read back with `html.parser` and checked against what the module promises:
- only the allowed tags and attributes, links only to http(s) or our own pages, and every
  link carries the attributes of its kind;
- the text a reader sees is the text typed (line ends, blank paragraphs and surrounding
  newlines aside): nothing lost, nothing doubled;
- the hashtags and mentions extracted are exactly the ones linked, and obey the tag and
  username rules; every link found is linked once;
- rendering is stable: what a reader sees renders to the same HTML, and the sanitiser finds
  nothing to remove.
"""

from __future__ import annotations

import os
import re
import string
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zwitscher.domain.text import (
    MAX_TAG_LENGTH,
    USERNAME_RE,
    hashtags,
    is_tag_name,
    mentioned_usernames,
    render_field_value,
    render_html,
    sanitize,
    tokenize,
)

pytestmark = pytest.mark.engine_independent

# Reproducible in CI (the same examples every run); varied locally, where finding new
# examples is the point. No example database: nothing is written into the work tree.
PROPERTIES = settings(max_examples=300, deadline=None, database=None,
                      derandomize=os.environ.get("CI") == "true",
                      suppress_health_check=[HealthCheck.too_slow])

# Accounts that exist, as `compose_text` resolves them: by lower-cased name, to the spelling
# the account has.
KNOWN = {"jana": "Jana", "press": "press", "ops_team": "ops_team", "x": "X"}


def resolve(username: str, domain: str | None) -> str | None:
    account = KNOWN.get(username.lower()) if domain is None else None
    return f"/@{account}" if account else None


def render(text: str) -> str:
    return render_html(text, resolve_mention=resolve, tag_url=lambda tag: f"/tags/{tag.lower()}")


# --- what people type --------------------------------------------------------------------

_LETTERS = st.sampled_from(list(
    "aZéßøçİıſ\u212a"  # Latin, with the letters whose case mapping surprises
    "жЖ"  # Cyrillic
    "שלוםمرحبا"  # right-to-left
    "日本語한국"  # CJK
    "हिन्दीதமிழ்สวัสดี"  # vowel signs and viramas: combining marks inside words
    "0123٣_"))
_MARKS = st.sampled_from(["\u0301", "\u0308", "\u093f", "\u0bcd", "\u0e31", "\ufe0f",
                          "\u200d", "\u200c", "\u200b", "\u2060", "\u202e", "\u200f"])
_WORDS = st.lists(st.one_of(_LETTERS, _MARKS), min_size=1, max_size=8).map("".join)
_EMOJI = st.sampled_from(["🙂", "👩🏽‍💻", "🏳️‍🌈", "🇩🇪", "❤️"])
_USERNAMES = st.one_of(
    st.sampled_from(sorted(KNOWN) + ["JANA", "Press", "nobody", "a.b", "a-b", "ops_team.",
                                     "ıan", "ſam", "\u212aate", "İx"]),
    st.from_regex(r"[A-Za-z0-9_]{1,12}([.-][A-Za-z0-9_]{1,4})?", fullmatch=True))
_MENTIONS = st.builds(lambda name, host: f"@{name}{host}", _USERNAMES,
                      st.sampled_from(["", "", "@example.org", "@bad host", "@"]))
_TAG_NAMES = st.one_of(_WORDS, st.sampled_from(["1400", "über_uns", "a" * MAX_TAG_LENGTH,
                                                "b" * (MAX_TAG_LENGTH + 1), "İ" * 150]))
_HASHTAGS = st.builds(lambda name: f"#{name}", _TAG_NAMES)
_HOSTS = st.sampled_from(["example.com", "www.example.com", "EXAMPLE.org", "localhost:8080",
                          "a:99999", "[::1]", "[x", "xn--", "%zz", "münchen.de", "-", ""])
_PATHS = st.lists(st.sampled_from(list("/aé?&=#%.,;:!()'\"-_~+*") + ["%20", "()"]),
                  max_size=12).map("".join)
_URLS = st.one_of(
    st.builds(lambda scheme, host, path: f"{scheme}{host}{path}",
              st.sampled_from(["https://", "http://", "HTTPS://"]), _HOSTS, _PATHS),
    st.sampled_from(["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>",
                     "mailto:jana@example.org", "//example.com/x", "vbscript:x", "https://"]))
_MARKUP = st.sampled_from([
    "<script>alert(1)</script>", '<a href="javascript:alert(1)">x</a>', "<a href=https://e.com>",
    "<img src=x onerror=alert(1)>", "<b>", "</p>", "<p>", "<br>", "<br />", "<!--", "-->",
    "<![CDATA[x]]>", "<style>", "<svg/onload=alert(1)>", '<span class="h-card">',
    "&amp;", "&lt;", "&gt;", "&quot;", "&#x3c;", "&#60;", "&nbsp;", "&", "<", ">", '"', "'",
    "`", "=", "/", ")", "(", "\\"])
_SPACES = st.sampled_from([" ", " ", " ", "\n", "\n\n", "\n\n\n", "\r\n", "\r\n\r\n", "\r",
                           "\t", "\u00a0", "\u2028", "\u3000", "", ".", ",", "!", "?", ":"])
_ANYTHING = st.text(alphabet=st.characters(blacklist_categories=["Cs"],
                                           blacklist_characters="\x00"), max_size=6)

_PIECES = st.one_of(_WORDS, _EMOJI, _MENTIONS, _HASHTAGS, _URLS, _MARKUP, _ANYTHING)
# Each piece followed by a space, a line end, punctuation, or nothing (pieces run together).
TEXTS = st.lists(st.tuples(_PIECES, _SPACES).map("".join), max_size=16).map("".join)


# --- what the HTML says ------------------------------------------------------------------

ALLOWED = {"p": set(), "br": set(), "a": {"href", "rel", "class", "target", "translate"},
           "span": {"class", "translate"}}


@dataclass
class Link:
    attrs: dict[str, str]
    text: str = ""
    in_h_card: bool = False


@dataclass
class Reading:
    """What a reader gets from rendered HTML: paragraphs of text, links, and anything the
    renderer promised never to produce."""

    paragraphs: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.result = Reading()
        self.open: list[str] = []
        self.link: Link | None = None
        self.h_card = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        if tag not in ALLOWED or not set(names) <= ALLOWED[tag] or len(names) != len(set(names)):
            self.result.problems.append(f"<{tag} {attrs}>")
        values = {name: value or "" for name, value in attrs}
        if tag == "p":
            if self.open:
                self.result.problems.append("nested <p>")
            self.result.paragraphs.append("")
        elif tag == "br":
            self._text("\n")
            return
        elif tag == "a":
            if self.link is not None:
                self.result.problems.append("nested <a>")
            self.link = Link(values, in_h_card=self.h_card)
            self.result.links.append(self.link)
        elif tag == "span" and "h-card" in values.get("class", "").split():
            self.h_card = True
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "br":
            self.result.problems.append(f"<{tag}/>")
        self.handle_starttag(tag, attrs)
        if tag != "br":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.result.problems.append(f"unbalanced </{tag}>")
            return
        self.open.pop()
        if tag == "a":
            self.link = None
        elif tag == "span" and "span" not in self.open:
            self.h_card = False

    def handle_data(self, data: str) -> None:
        if "\n" in data or "\r" in data:  # a browser shows it as a space, not a new line
            self.result.problems.append(f"line end without <br />: {data!r}")
        self._text(data)

    def _text(self, data: str) -> None:
        if not self.result.paragraphs or "p" not in self.open:
            self.result.problems.append(f"text outside a paragraph: {data!r}")
            self.result.paragraphs.append("")
        self.result.paragraphs[-1] += data
        if self.link is not None:
            self.link.text += data

    def handle_comment(self, data: str) -> None:
        self.result.problems.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.result.problems.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.result.problems.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.result.problems.append(f"<![{data}]>")


def read(html: str) -> Reading:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    if reader.open:
        reader.result.problems.append(f"unclosed {reader.open}")
    return reader.result


def seen_text(html: str) -> str:
    """The text a reader sees, paragraphs apart by a blank line (what a person would type)."""
    return "\n\n".join(read(html).paragraphs)


def typed_paragraphs(text: str) -> list[str]:
    """The paragraphs of typed text as a reader should see them: any line end (`\\r\\n`, a
    lone `\\r`, `\\n`) is a line break, two or more make a paragraph, and paragraphs of white
    space only, like newlines at either end, show nothing."""
    body = re.sub(r"\r\n?", "\n", text).strip("\n")
    return [p for p in re.split(r"\n{2,}", body) if p.strip()]


def hashtag_links(reading: Reading) -> list[Link]:
    return [link for link in reading.links if "hashtag" in link.attrs.get("class", "").split()]


def mention_links(reading: Reading) -> list[Link]:
    return [link for link in reading.links
            if link.attrs.get("class", "").split() == ["u-url", "mention"]]


def web_links(reading: Reading) -> list[Link]:
    return [link for link in reading.links if "mention" not in link.attrs.get("class", "")]


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


# --- the properties ----------------------------------------------------------------------

@PROPERTIES
@given(TEXTS)
def test_rendered_html_holds_only_allowed_tags_attributes_and_links(text):
    reading = read(render(text))
    assert reading.problems == []
    for link in reading.links:
        href = link.attrs.get("href", "")
        if href.startswith("/"):  # our own pages: a profile or a hashtag
            assert not href.startswith("//")
            assert link in hashtag_links(reading) or link in mention_links(reading)
        else:
            assert re.match(r"https?://", href, re.IGNORECASE), href
            assert link.attrs == {"href": href, "target": "_blank", "rel": "nofollow noopener",
                                  "translate": "no"}
    for link in hashtag_links(reading):
        assert link.attrs["rel"] == "tag" and link.attrs["class"] == "mention hashtag"
    for link in mention_links(reading):
        assert link.in_h_card and set(link.attrs) == {"href", "class"}


@PROPERTIES
@given(TEXTS)
def test_the_text_a_reader_sees_is_the_text_typed(text):
    reading = read(render(text))
    assert reading.problems == []
    assert reading.paragraphs == typed_paragraphs(text)


@PROPERTIES
@given(TEXTS)
def test_hashtags_extracted_are_the_ones_linked_and_valid_tag_names(text):
    reading = read(render(text))
    linked = [link.text.removeprefix("#") for link in hashtag_links(reading)]
    assert all(link.text.startswith("#") for link in hashtag_links(reading))
    first_spellings: dict[str, str] = {}
    for tag in linked:
        first_spellings.setdefault(tag.lower(), tag)
    assert list(first_spellings.values()) == hashtags(text)
    for link in hashtag_links(reading):
        tag = link.text.removeprefix("#")
        assert link.attrs["href"] == f"/tags/{tag.lower()}"
        # Storable as the tag and as its lower-case key, and followable by the same name.
        assert is_tag_name(tag) and len(tag.lower()) <= MAX_TAG_LENGTH
        assert f"#{tag}" in text
    for token in tokenize(text):
        # A tag is the whole word: what follows it could not continue it (a vowel sign of
        # Hindi, a decomposed accent).
        after = text[token.end:token.end + 1]
        if token.kind == "hashtag" and after:
            assert not re.match(r"\w", after) and not unicodedata.category(after).startswith("M")


@PROPERTIES
@given(TEXTS)
def test_mentions_extracted_are_usernames_typed_after_an_at_sign(text):
    mentioned = mentioned_usernames(text)
    assert len(mentioned) == len(set(mentioned))
    for name in mentioned:
        # Usernames are ASCII: a Kelvin sign or a dotless i never stands in for a letter.
        assert USERNAME_RE.match(name) and name.isascii() and name == name.lower()
        assert f"@{name}" in text.translate(_ASCII_LOWER)
    links = mention_links(read(render(text)))
    assert {link.text.lower() for link in links} == {f"@{name}" for name in mentioned
                                                     if name in KNOWN}
    for link in links:
        assert link.attrs["href"] == f"/@{KNOWN[link.text[1:].lower()]}"


@PROPERTIES
@given(TEXTS)
def test_every_link_found_is_linked_once_to_itself(text):
    found = [token.value for token in tokenize(text) if token.kind == "url"]
    links = web_links(read(render(text)))
    assert [link.attrs.get("href") for link in links] == found
    for link in links:
        assert link.text == link.attrs["href"]  # shortened for the eye, whole for copying
    assert all(url in text for url in found)


@PROPERTIES
@given(TEXTS)
def test_rendering_is_stable(text):
    html = render(text)
    assert sanitize(html) == html
    assert render(seen_text(html)) == html


@PROPERTIES
@given(TEXTS)
def test_field_values_are_one_line_of_allowed_html(text):
    html = render_field_value(text)
    assert "<p>" not in html and "<br" not in html
    reading = read(f"<p>{html}</p>")
    assert reading.problems == []
    assert reading.paragraphs == [" ".join(text.split())]


def test_look_alike_letters_and_line_ends_make_no_username():
    # The dotless i, the long s, the Kelvin sign and the dotted capital I fold to ASCII
    # letters when matched case-insensitively; a final newline passed `$`.
    for name in ["ıan", "ſam", "\u212aate", "İx", "sam\n"]:
        assert not USERNAME_RE.match(name)
    assert mentioned_usernames("hi @ıan, @ſam, @\u212aate and @İx") == []
