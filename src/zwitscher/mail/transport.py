"""Where composed messages go: an SMTP server (`aiosmtplib`), or a folder of `.eml` files.

Sending is done by the job system, which retries: a `TemporaryFailure` (the server cannot be
reached, or answers 4xx) is tried again later; `Undeliverable` (the server refuses the message
or the address for good, 5xx) is not, since asking again would get the same answer.
"""

from __future__ import annotations

import hashlib
import logging
import os
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib

from zwitscher.domain.errors import TemporaryFailure
from zwitscher.settings import Settings

log = logging.getLogger(__name__)

# Shorter than a job's lease (60 s by default), so a slow server never lets a second worker
# take the job and send the message again.
SMTP_TIMEOUT_SECONDS = 30


class Undeliverable(Exception):
    """The server refused the message for good."""


class Transport(Protocol):
    async def send(self, message: EmailMessage) -> None: ...

    def describe(self) -> str: ...


class SmtpTransport:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("ZWITSCHER_SMTP_URL must be smtp://[user:password@]host[:port] or "
                             "smtps://…")
        self.implicit_tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.implicit_tls else 587)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None

    def describe(self) -> str:
        return f"{'smtps' if self.implicit_tls else 'smtp'}://{self.host}:{self.port}"

    async def send(self, message: EmailMessage) -> None:
        try:
            await aiosmtplib.send(
                message, hostname=self.host, port=self.port, username=self.username,
                password=self.password, use_tls=self.implicit_tls,
                # smtp://: STARTTLS whenever the server offers it (aiosmtplib then refuses to
                # go on without it when it fails).
                start_tls=None if not self.implicit_tls else False,
                timeout=SMTP_TIMEOUT_SECONDS)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            if all(refusal.code >= 500 for refusal in exc.recipients):
                raise Undeliverable(str(exc)) from exc
            raise TemporaryFailure(f"{self.describe()}: {exc}") from exc
        except aiosmtplib.SMTPResponseException as exc:
            if exc.code >= 500 and not isinstance(exc, aiosmtplib.SMTPAuthenticationError):
                raise Undeliverable(f"{exc.code} {exc.message}") from exc
            raise TemporaryFailure(f"{self.describe()}: {exc.code} {exc.message}") from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(f"{self.describe()}: {exc}") from exc


class FolderTransport:
    """One `.eml` file per message, named by its Message-ID: a message sent again (a retry)
    replaces its own file. Names begin with the time, so they sort as they were written."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def describe(self) -> str:
        return str(self.folder)

    async def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        message_id = message["Message-ID"] or ""
        # make_msgid's local part starts with the time in hundredths of seconds.
        stamp = message_id.strip("<").split(".")[0]
        digest = hashlib.sha256(message_id.encode()).hexdigest()[:16]
        path = self.folder / f"{stamp}-{digest}.eml"
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(bytes(message))
        os.replace(temporary, path)
        log.info("e-mail to %s written to %s", parseaddr(message["To"])[1], path)


def transport_for(settings: Settings) -> Transport:
    if settings.smtp_url:
        return SmtpTransport(settings.smtp_url)
    return FolderTransport(settings.mail_path)
