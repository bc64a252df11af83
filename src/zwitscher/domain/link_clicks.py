"""Links in posts as the web interface shows them: through `/l/<status id>/<n>.<signature>`,
our own redirect, which counts a click (for the author's analytics) and sends the reader on.

The n-th link of a status is the n-th `href` to another site in its stored HTML (which our
own text formatting wrote: `domain/text.py`), counted from 0. The signature (HMAC of the
status id and n with the instance's link secret, `services/follow_link.py`) makes the path
only good for a link that really is in that status: no one can make the server redirect to
an address of their choosing. The API keeps the original links: Mastodon clients show, open
and preview them themselves, and a client's link preview of our redirect would count clicks
nobody made.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import re

PATH = "/l"

# An href our text formatting wrote: escaped by `html.escape`, so no quote inside.
_EXTERNAL_HREF = re.compile(r'href="(https?://[^"]+)"')


def external_links(content_html: str) -> list[str]:
    """The addresses of the links to other sites in a status's HTML, in order."""
    return [html.unescape(match) for match in _EXTERNAL_HREF.findall(content_html)]


def signature(key: bytes, status_id: int, n: int) -> str:
    digest = hmac.new(key, f"link:{status_id}:{n}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode().rstrip("=")


def click_path(key: bytes, status_id: int, n: int) -> str:
    return f"{PATH}/{status_id}/{n}.{signature(key, status_id, n)}"


def signed_link(key: bytes, status_id: int, token: str) -> int | None:
    """Which link of the status `token` (`<n>.<signature>`) stands for; None if forged."""
    n, _, given = token.partition(".")
    if not (n.isascii() and n.isdigit()) or len(n) > 4:
        return None
    expected = signature(key, status_id, int(n))
    if not hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace")):
        return None
    return int(n)


def through_redirect(content_html: str, *, key: bytes, status_id: int) -> str:
    """The HTML with each link to another site going through our redirect; the address
    itself stays in the `title`, so a reader can see where a link leads before following."""
    counter = iter(range(10_000))

    def replace(match: re.Match) -> str:
        path = click_path(key, status_id, next(counter))
        return f'href="{path}" title="{match.group(1)}"'

    return _EXTERNAL_HREF.sub(replace, content_html)
