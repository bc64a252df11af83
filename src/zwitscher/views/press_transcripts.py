"""A press conference's transcript as files to keep: Markdown, a standalone HTML page and JSON,
in the reader's language (the API's: English unless `lang` asks otherwise).

Every text in them is what people typed, kept inert: the HTML is escaped by Jinja's
autoescape, the Markdown escapes the characters that would make markup (or raw HTML) of it,
and JSON carries plain strings.
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from zwitscher import i18n
from zwitscher.views.accounts import AccountView
from zwitscher.views.press_conferences import (
    ConferenceView,
    QuestionView,
    iso,
    person_data,
)

FORMATS = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
           "json": "application/json; charset=utf-8"}
# The HTML file carries its style and runs nothing.
EXPORT_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
                 "base-uri 'none'; form-action 'none'")
_MARKDOWN_INLINE = re.compile(r"([\\`*_{}\[\]<>#|~&!])")
# What makes a block of a line by its start: a list item, a setext underline, a numbered item.
_MARKDOWN_LINE_START = re.compile(r"^([ \t]*)([-+=]|\d+(?=[.)]))", re.MULTILINE)

_templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(default=True))


def export_headers(conference: ConferenceView, extension: str) -> dict[str, str]:
    """A transcript is a file to keep: downloaded under the conference's number."""
    headers = {"Content-Disposition":
               f'attachment; filename="press-conference-{conference.id}.{extension}"',
               "X-Content-Type-Options": "nosniff"}
    if extension == "html":
        headers["Content-Security-Policy"] = EXPORT_POLICY
    return headers


def markdown_text(text: str) -> str:
    """Typed text as Markdown that shows exactly it: no markup, no raw HTML."""
    text = _MARKDOWN_INLINE.sub(r"\\\1", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _MARKDOWN_LINE_START.sub(_escape_start, text)


def _escape_start(match: re.Match) -> str:
    indent, start = match.group(1), match.group(2)
    if start[0] in "-+=":
        return f"{indent}\\{start}"
    # `1.` → `1\.`: the escape goes before the mark that follows the digits.
    return f"{indent}{start}\\"


def _named(person: AccountView | None, unknown: str) -> str:
    if person is None:
        return unknown
    return f"{person.display_name} (@{person.username})" if person.display_name \
        else f"@{person.username}"


def _texts(language: str):
    catalog = i18n.translations(language)

    def translate(message: str, **variables) -> str:
        text = catalog.gettext(message)
        return text % variables if variables else text

    return translate


def transcript_markdown(conference: ConferenceView, questions: list[QuestionView], *,
                        origin: str, language: str) -> str:
    _ = _texts(language)
    fmt = i18n.Formatter(language)
    gone = _("a deleted account")
    lines = [f"# {markdown_text(' '.join(conference.title.split()))}", "",
             markdown_text(_("Press conference of %(brand)s, %(start)s to %(end)s (UTC)",
                             brand=_named(conference.brand, gone),
                             start=fmt.datetime(conference.starts_at),
                             end=fmt.datetime(conference.ends_at))), ""]
    if conference.description:
        lines += [markdown_text(line) for line in conference.description.splitlines()] + [""]
    lines += [f"<{origin}{conference.path}>", ""]
    if not questions:
        lines += [markdown_text(_("No question was answered.")), ""]
    for number, question in enumerate(questions, start=1):
        lines += [f"## {_('Question %(number)s', number=number)}", ""]
        lines += [f"> {markdown_text(line)}" if line else ">"
                  for line in question.text.splitlines()] + [""]
        asked = _("Asked by %(name)s", name=_named(question.asker, gone))
        if question.also_asked_by:
            asked += "; " + _("also asked by %(names)s", names=", ".join(
                _named(person, gone) for person in question.also_asked_by))
        lines += [markdown_text(asked), ""]
        answer = question.answer
        by = _("Answer by %(name)s for %(brand)s", name=_named(answer.answered_by, gone),
               brand=_named(conference.brand, gone))
        lines += [f"**{markdown_text(by)}**", ""]
        lines += [markdown_text(line) for line in answer.text.splitlines()] + [""]
    return "\n".join(lines)


def transcript_html(conference: ConferenceView, questions: list[QuestionView], *,
                    origin: str, language: str) -> str:
    _ = _texts(language)
    gone = _("a deleted account")
    return _templates.get_template("press_transcript.html").render(
        conference=conference, questions=questions, origin=origin, lang=language, _=_,
        fmt=i18n.Formatter(language), named=lambda person: _named(person, gone),
        named_all=lambda people: ", ".join(_named(person, gone) for person in people))


def transcript_data(conference: ConferenceView, questions: list[QuestionView], *,
                    origin: str) -> dict:
    """The transcript as JSON (the API's `PressTranscript`)."""
    return {
        "conference": {
            "id": str(conference.id), "title": conference.title,
            "description": conference.description, "brand": person_data(conference.brand),
            "starts_at": iso(conference.starts_at), "ends_at": iso(conference.ends_at),
            "ended_at": iso(conference.ended_at), "state": conference.state,
            "url": origin + conference.path},
        "questions": [{
            "number": number, "id": str(question.id), "text": question.text,
            "asked_by": person_data(question.asker),
            "also_asked_by": [person_data(person) for person in question.also_asked_by],
            "asked_at": iso(question.created_at), "votes": question.votes,
            "answer": {
                "text": question.answer.text,
                "answered_by": person_data(question.answer.answered_by),
                "answered_at": iso(question.answer.answered_at),
                "status_id": (str(question.answer.status_id) if question.answer.status_id
                              else None)}}
            for number, question in enumerate(questions, start=1)]}
