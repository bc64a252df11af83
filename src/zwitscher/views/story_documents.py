"""A story as documents for elsewhere: JSON (the export, and the API's story), an Atom feed,
a standalone HTML file, and the snippet that embeds it in another site's page.

Made from a `StoryView`, so each holds only what its audience may read now. Every link is
absolute (with the origin the reader used), since each is read away from this server. Texts
are escaped: ElementTree escapes the feed's, Jinja's autoescape the HTML's; a post's HTML is
the curated, sanitised copy (`BlockView.html`).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from zwitscher import i18n
from zwitscher.domain.clock import utcnow
from zwitscher.policies.stories import POST
from zwitscher.views.stories import BlockView, PostSnapshot, StoryView

ATOM_NS = "http://www.w3.org/2005/Atom"
ENTRY_TITLE_LENGTH = 80
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TAG = re.compile(r"<[^>]+>")

# The standalone HTML file carries its style inside it and runs nothing; when a browser opens
# it from here rather than from a disk, it may show its images and that style, nothing else.
EXPORT_POLICY = ("default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; "
                 "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")

_templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(default=True))


def iso(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def absolute(path: str, origin: str) -> str:
    """A path of ours (`/@a/1`, `/system/...`) with the origin; other URLs as they are."""
    return origin + path if path.startswith("/") else path


def absolute_html(fragment: str, origin: str) -> str:
    return fragment.replace('href="/', f'href="{origin}/').replace('src="/', f'src="{origin}/')


def story_urls(story: StoryView, origin: str) -> dict[str, str]:
    page = origin + story.path
    return {"url": page, "embed_url": f"{page}/embed", "feed_url": f"{page}/feed.atom",
            "export_html_url": f"{page}/export.html", "export_json_url": f"{page}/export.json"}


def export_headers(story: StoryView, extension: str) -> dict[str, str]:
    """An export is a file to keep: downloaded under the story's name."""
    headers = {"Content-Disposition": f'attachment; filename="story-{story.id}.{extension}"',
               "X-Content-Type-Options": "nosniff"}
    if extension == "html":
        headers["Content-Security-Policy"] = EXPORT_POLICY
    return headers


def embed_snippet(story: StoryView, origin: str) -> str:
    """What another site pastes into its page: the embed in a frame, and for readers that
    show no frames (feed readers, sanitised pages) the title with a link."""
    urls = story_urls(story, origin)
    title = html.escape(story.title)
    return (f'<iframe src="{html.escape(urls["embed_url"])}" title="{title}" width="560" '
            f'height="720" style="border:0;max-width:100%" loading="lazy">'
            f'<blockquote cite="{html.escape(urls["url"])}"><p><a href="'
            f'{html.escape(urls["url"])}">{title}</a></p></blockquote></iframe>')


def _post_json(block: BlockView, origin: str) -> dict:
    post: PostSnapshot = block.post
    return {
        "id": str(post.status_id), "url": absolute(block.current_path or "", origin),
        "edited_since": block.edited_since,
        "curated": {
            "content": absolute_html(block.html, origin), "spoiler_text": post.spoiler_text,
            "sensitive": post.sensitive, "language": post.language,
            "created_at": iso(post.created_at), "edited_at": iso(post.edited_at),
            "author": {"id": str(post.author.id), "username": post.author.username,
                       "acct": post.author.username, "display_name": post.author.display_name,
                       "url": f"{origin}/@{post.author.username}",
                       "avatar": absolute(post.author.avatar, origin)},
            "media": [{"type": m.type, "url": absolute(m.url, origin),
                       "preview_url": absolute(m.preview_url, origin),
                       "description": m.description or None} for m in post.media]}}


def _block_json(block: BlockView, origin: str) -> dict:
    if block.kind == POST:
        return {"type": POST, "post": _post_json(block, origin)}
    data = {"type": block.kind, "text": block.text}
    if block.kind != "heading":
        data["html"] = absolute_html(block.html, origin)
    return data


def story_document(story: StoryView, origin: str) -> dict:
    """The story as JSON: the export, and what the API answers (which adds to it)."""
    owner = story.owner
    return {
        "id": str(story.id), "title": story.title, "summary": story.summary,
        "summary_html": absolute_html(story.summary_html, origin), "audience": story.audience,
        "published": story.published_at is not None, "published_at": iso(story.published_at),
        "version": story.version, "created_at": iso(story.created_at),
        "updated_at": iso(story.updated_at),
        "owner": {"id": str(owner.id), "username": owner.username, "acct": owner.username,
                  "display_name": owner.display_name, "url": f"{origin}/@{owner.username}",
                  "avatar": absolute(owner.avatar, origin)},
        **story_urls(story, origin), "embed_html": embed_snippet(story, origin),
        "blocks": [_block_json(block, origin) for block in story.blocks]}


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = _clean(text)
    return element


def _entry_title(post: PostSnapshot) -> str:
    """The author and a line of plain text: the content warning, else the post's start."""
    text = post.spoiler_text or html.unescape(_TAG.sub(" ", post.content_html))
    text = " ".join(text.split())
    if len(text) > ENTRY_TITLE_LENGTH:
        text = text[:ENTRY_TITLE_LENGTH].rsplit(" ", 1)[0].rstrip() + "…"
    return f"{post.author.name}: {text}" if text else post.author.name


def story_atom(story: StoryView, origin: str) -> bytes:
    """An entry per post, in the story's order, each with the story's text before it (the
    curator's words on it) and the post as it was curated."""
    urls = story_urls(story, origin)
    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    _add(feed, "id", urls["url"])
    _add(feed, "title", story.title)
    if story.summary:
        _add(feed, "subtitle", story.summary)
    _add(feed, "updated", iso(story.updated_at))
    _add(feed, "link", rel="self", type="application/atom+xml", href=urls["feed_url"])
    _add(feed, "link", rel="alternate", type="text/html", href=urls["url"])
    author = _add(feed, "author")
    _add(author, "name", story.owner.name)
    _add(author, "uri", f"{origin}/@{story.owner.username}")
    _add(feed, "generator", "Zwitscher")
    words: list[str] = []
    for block in story.blocks:
        if block.kind != POST:
            words.append(f"<h2>{html.escape(block.text)}</h2>" if block.kind == "heading"
                         else block.html)
            continue
        post = block.post
        entry = _add(feed, "entry")
        _add(entry, "id", f"{urls['url']}#post-{post.status_id}")
        _add(entry, "title", _entry_title(post))
        _add(entry, "link", rel="alternate", type="text/html",
             href=absolute(block.current_path or "", origin))
        _add(entry, "published", iso(post.created_at))
        _add(entry, "updated", iso(post.edited_at or post.created_at))
        writer = _add(entry, "author")
        _add(writer, "name", post.author.name)
        _add(writer, "uri", f"{origin}/@{post.author.username}")
        body = "".join(words) + (f"<p>{html.escape(post.spoiler_text)}</p>"
                                 if post.spoiler_text else "") + block.html
        _add(entry, "content", absolute_html(body, origin), type="html")
        words = []
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def story_html(story: StoryView, origin: str, *, language: str) -> str:
    """A standalone HTML document (its style inside it): to keep, send or archive."""
    catalog = i18n.translations(language)

    def translate(message: str, **variables) -> str:
        text = catalog.gettext(message)
        return text % variables if variables else text

    return _templates.get_template("story_export.html").render(
        _=translate, story=story, lang=language, origin=origin, urls=story_urls(story, origin),
        fmt=i18n.Formatter(language), exported_at=utcnow(), absolute=absolute,
        absolute_html=absolute_html)
