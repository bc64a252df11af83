"""Every message a service can raise has a German text for the web interface.

The messages are found in the source itself (with `ast`): the first argument of every
`DomainError` subclass raised in `services/` and `domain/`, the problems services collect in
lists before raising them together, and the default messages of the error classes. A new
message without a German translation, or one built as an f-string (untranslatable), fails here.
OAuth errors are left out: their messages are RFC 6749 error codes, not sentences.
"""

from __future__ import annotations

import ast
from datetime import timedelta
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from zwitscher import i18n
from zwitscher.domain.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.engine_independent

SOURCE = Path(i18n.__file__).parent
WHERE = ("services", "domain", "media")
NOT_SENTENCES = {"OAuthError"}
# Not DomainErrors, but passed on as one (`read_image` turns them into ValidationFailed).
ALSO_SHOWN = {"ImageRejected", "DocumentRejected"}
# Problems a service collects into a list and raises joined by ", ".
PROBLEM_LISTS = {"errors", "problems"}


def _trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text()) for path in SOURCE.rglob("*.py")}


def _error_classes(trees: dict[Path, ast.Module]) -> set[str]:
    names, grown = {"DomainError"}, True
    while grown:
        grown = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if (isinstance(node, ast.ClassDef) and node.name not in names
                        and any(getattr(base, "id", None) in names for base in node.bases)):
                    names.add(node.name)
                    grown = True
    return (names - NOT_SENTENCES) | ALSO_SHOWN


@cache
def _service_messages() -> tuple[dict[str, str], list[str]]:
    """The literal messages (with where each is) and the calls that are not translatable."""
    trees = _trees()
    errors = _error_classes(trees)
    found: dict[str, str] = {}
    untranslatable: list[str] = []
    for path, tree in trees.items():
        if path.relative_to(SOURCE).parts[0] not in WHERE:
            continue
        for node in ast.walk(tree):
            where = f"{path.relative_to(SOURCE)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in errors:
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant):
                    found.setdefault(first.value, where)
                elif first is not None and not _joined_problems(first):
                    untranslatable.append(f"{where}: {ast.unparse(node)}")
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr == "append"
                  and getattr(node.func.value, "id", None) in PROBLEM_LISTS
                  and node.args and isinstance(node.args[0], ast.Constant)):
                found.setdefault(node.args[0].value, where)
            elif isinstance(node, ast.FunctionDef) and node.name == "__init__":
                for default in node.args.defaults:
                    if isinstance(default, ast.Constant) and isinstance(default.value, str):
                        found.setdefault(default.value, where)
    return found, untranslatable


def _joined_problems(node: ast.expr) -> bool:
    """`", ".join(problems)` (the parts are literals appended to the list, checked above), or
    another error's template passed on (`exc.text`)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "join" and getattr(node.args[0], "id", None) in PROBLEM_LISTS
    return isinstance(node, ast.Attribute) and node.attr == "text"


def test_every_service_message_has_a_german_translation():
    with open(i18n.LOCALE_DIR / "de" / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po, locale="de")
    found, _ = _service_messages()
    assert len(found) > 150
    missing = [f"{where}: {message!r}" for message, where in sorted(found.items())
               if not (catalog.get(message) and catalog.get(message).string)]
    assert missing == [], "add these to both catalogs (German in de):\n" + "\n".join(missing)


def test_english_catalog_knows_every_service_message_too():
    with open(i18n.LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po, locale="en")
    found, _ = _service_messages()
    assert [message for message in found if catalog.get(message) is None] == []


def test_service_messages_are_templates_not_f_strings():
    _, untranslatable = _service_messages()
    assert untranslatable == [], (
        "write the message as a template with %(name)s and pass the values as keyword "
        "arguments:\n" + "\n".join(untranslatable))


def test_the_api_keeps_the_english_text_and_the_web_explains_in_the_page_language():
    error = ValidationFailed("Text character limit of %(limit)s exceeded", limit=5000)
    assert error.message == "Validation failed: Text character limit of 5000 exceeded"
    assert str(error) == error.message
    assert i18n.explain(error, "en") == "Text character limit of 5,000 exceeded"
    assert i18n.explain(error, "de") == "Der Text ist länger als 5.000 Zeichen"
    assert i18n.explain(NotFound(), "de") == "Nicht gefunden"


def test_durations_in_a_message_are_written_in_the_language():
    error = ValidationFailed("Scheduled time must be at least %(lead)s in the future",
                             lead=timedelta(minutes=5))
    assert i18n.explain(error, "en") == "Scheduled time must be at least 5 minutes in the future"
    assert i18n.explain(error, "de") == ("Der geplante Zeitpunkt muss mindestens 5 Minuten in "
                                         "der Zukunft liegen")


def test_several_problems_at_once_are_each_translated():
    error = ValidationFailed(", ".join(["Email is invalid",
                                        "Password must be between 8 and 72 characters"]))
    assert i18n.explain(error, "de") == ("Die E-Mail-Adresse ist ungültig. "
                                         "Das Passwort muss zwischen 8 und 72 Zeichen lang sein")


def test_joined_problems_that_hold_commas_themselves_are_each_translated():
    slug = "Slug must be 1 to 64 lowercase letters, digits, - or _"
    problem = ValidationFailed(f"{slug}, Name must be between 1 and 200 characters")
    assert i18n.explain(problem, "de") == (
        "Die Kurzbezeichnung muss aus 1 bis 64 Kleinbuchstaben, Ziffern, - oder _ bestehen. "
        + i18n.translations("de").gettext("Name must be between 1 and 200 characters"))


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_a_message_nobody_translated_stays_readable(language):
    error = ValidationFailed("Something new went wrong with %(thing)s", thing="<b>")
    assert i18n.explain(error, language) == "Something new went wrong with <b>"


def test_web_pages_show_service_errors_through_explain_not_the_english_message():
    """`exc.message` is the API's English text; a page shows `browser.explain(exc)`."""
    web = SOURCE / "web"
    english = [f"{path.relative_to(SOURCE)}:{node.lineno}"
               for path in web.rglob("*.py") if path.name != "i18n.py"
               for node in ast.walk(ast.parse(path.read_text()))
               if isinstance(node, ast.Attribute) and node.attr == "message"]
    assert english == [], "use browser.explain(exc) (or i18n.explain) instead of .message"


def test_a_problem_about_one_attachment_is_explained_whole_in_either_language():
    reason = ValidationFailed("The file is not a JPEG, PNG, GIF or WebP image")
    about = ValidationFailed("Attachment %(number)s: %(reason)s", number=2, reason=reason)
    assert i18n.explain(about, "en") == ("Attachment 2: The file is not a JPEG, PNG, GIF or "
                                         "WebP image")
    assert i18n.explain(about, "de") == ("Anhang 2: Die Datei ist kein JPEG-, PNG-, GIF- oder "
                                         "WebP-Bild")


def test_every_text_of_the_pages_and_e_mails_has_a_german_translation():
    """What templates and code of pages and e-mails pass to `_`/`ngettext`, as `pybabel
    extract` finds it."""
    from babel.messages.extract import extract_from_dir

    texts = {}
    for folder, templates in (("web", "templates/web/**.html"), ("mail", "templates/**")):
        for filename, lineno, message, _comments, _context in extract_from_dir(
                SOURCE / folder, method_map=[(templates, "jinja2"), ("**.py", "python")],
                keywords={"_": None, "gettext": None, "ngettext": (1, 2)}):
            texts.setdefault(message if isinstance(message, str) else message[0],
                             f"{folder}/{filename}:{lineno}")
    with open(i18n.LOCALE_DIR / "de" / "LC_MESSAGES" / "messages.po", "rb") as po:
        german = read_po(po, locale="de")
    assert len(texts) > 300

    def translated(text: str) -> bool:
        entry = german.get(text)
        strings = entry.string if entry and isinstance(entry.string, tuple) else (
            entry and entry.string,)
        return all(strings)
    missing = [f"{where}: {text!r}" for text, where in sorted(texts.items())
               if not translated(text)]
    assert missing == [], "add these to both catalogs (German in de):\n" + "\n".join(missing)
