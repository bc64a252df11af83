"""Messages composed from templates: plain text and HTML, in the reader's language.

Each kind of message has a subject (a msgid of the catalogs, with `%(instance)s` and the
message's own values) and two templates, `<kind>.txt` and `<kind>.html`, which read the values
the service queued with it; a `calendar` kind attaches the calendar file its values carry. A
kind a person may turn off is `optional`: its values carry an `unsubscribe_path`, sent as
`List-Unsubscribe` with `List-Unsubscribe-Post` (RFC 8058), so mail programs offer one-click
unsubscribing.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from zwitscher import i18n
from zwitscher.domain.clock import utcnow
from zwitscher.settings import Settings

TEMPLATES = Path(__file__).parent / "templates"


def _(text: str) -> str:
    """Marks a subject for the catalogs (`pybabel extract`); translated when composed."""
    return text


@dataclass(frozen=True, slots=True)
class Kind:
    subject: str
    optional: bool = False
    # Its values carry a calendar file (`calendar`, the text of an .ics, and `calendar_name`),
    # attached to the message.
    calendar: bool = False


KINDS: dict[str, Kind] = {
    "test": Kind(_("A test message from %(instance)s")),
    "password_reset": Kind(_("Reset your password on %(instance)s")),
    "welcome": Kind(_("Welcome to %(instance)s: choose your password")),
    "new_sign_in": Kind(_("A new sign-in to your account on %(instance)s"), optional=True),
    "invitation": Kind(_("%(inviter)s invites you to %(instance)s")),
    "confirm_email": Kind(_("Confirm your e-mail address on %(instance)s")),
    "email_change": Kind(_("Your e-mail address on %(instance)s is being changed")),
    "brand_draft_decided": Kind(_("Your post for %(brand)s was reviewed")),
    "deletion_scheduled": Kind(_("Your account on %(instance)s will be deleted")),
    "archive_ready": Kind(_("Your archive from %(instance)s is ready")),
    "legal_hold_placed": Kind(_("A legal hold was placed on your account on %(instance)s")),
    "legal_hold_ended": Kind(_("The legal hold on your account on %(instance)s has ended")),
    "press_invitation": Kind(_("%(inviter)s invites you to the press room of %(instance)s")),
    "accreditation_confirm": Kind(_("Confirm your accreditation request to %(instance)s")),
    "accreditation_approved": Kind(_("You are accredited for the press room of %(instance)s")),
    "accreditation_rejected": Kind(_("Your accreditation request to %(instance)s")),
    "press_access": Kind(_("You now have access to the press room of %(instance)s")),
    "press_release_preview": Kind(_("Under embargo until %(when)s: %(headline)s")),
    "newsroom_confirm": Kind(_("Confirm your subscription to the press releases of %(brand)s")),
    "press_release": Kind(_("%(brand)s: %(headline)s"), optional=True),
    "event_invitation": Kind(_("Invitation: %(title)s"), calendar=True),
    "event_post_decided": Kind(_("Your post from %(title)s was reviewed")),
    "crisis_alert": Kind(_("Crisis alert: %(title)s")),
    "monitor_alert": Kind(_("Monitor alert: %(monitor)s")),
}


class BadAddress(ValueError):
    """An address or name that cannot go into a header (a line break would add headers)."""


@cache
def _environment(language: str, html: bool) -> Environment:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=html,
                              undefined=StrictUndefined, extensions=["jinja2.ext.i18n"],
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    environment.install_gettext_translations(i18n.translations(language), newstyle=True)
    return environment


def new_message_id(settings: Settings) -> str:
    """Chosen when the message is queued, so every attempt to send it carries the same one
    (a receiver that got it twice can tell)."""
    return make_msgid("zwitscher", domain=urlsplit(settings.base_url).hostname or "localhost")


def recipient(address: str, name: str = "") -> Address:
    """The `To` of a message; refuses what would break out of the header."""
    if any(char in address for char in "\r\n\0") or address.count("@") != 1:
        raise BadAddress(f"not an e-mail address: {address!r}")
    # A display name is the person's own text: line breaks and controls go, the rest is
    # quoted or encoded by the email package.
    clean_name = "".join(char if char.isprintable() else " " for char in name).strip()[:100]
    local, domain = address.split("@")
    try:
        return Address(display_name=clean_name, username=local, domain=domain)
    except (ValueError, IndexError) as exc:
        raise BadAddress(f"not an e-mail address: {address!r}") from exc


def compose(settings: Settings, *, kind: str, to: Address, language: str,
            values: dict[str, Any], message_id: str) -> EmailMessage:
    spec = KINDS[kind]
    language = i18n.supported(language) or i18n.DEFAULT_LANGUAGE
    translations = i18n.translations(language)
    fmt = i18n.Formatter(language)
    context = {"instance": settings.instance_title, "base_url": settings.base_url,
               "fmt": fmt, "lang": language,
               "name": to.display_name or to.username, **values}
    origin = settings.base_url.rstrip("/")
    if "path" in values:
        # Links are made where the message is sent, from the public origin configured there
        # (never from a request's Host, which the requester chooses).
        context["url"] = origin + values["path"]
    if spec.optional:
        context["unsubscribe_url"] = origin + values["unsubscribe_path"]
    text = _environment(language, False).get_template(f"{kind}.txt").render(context)
    html = _environment(language, True).get_template(f"{kind}.html").render(context)
    message = EmailMessage()
    message["Subject"] = translations.gettext(spec.subject) % {
        "instance": settings.instance_title, **values}
    message["From"] = settings.sender
    message["To"] = to
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = message_id
    # Automatic: no out-of-office answers to a password reset (RFC 3834).
    message["Auto-Submitted"] = "auto-generated"
    if spec.optional:
        message["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    if spec.calendar:
        message.add_attachment(values["calendar"].encode(), maintype="text",
                               subtype="calendar", filename=values["calendar_name"])
    # After the content: setting it clears the Content-* headers.
    message["Content-Language"] = language
    return message

