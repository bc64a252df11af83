"""Where composed messages go: an SMTP server (`aiosmtplib`), or a folder of `.eml` files.

Sending is done by the job system, which retries: a `TemporaryFailure` (the server cannot be
reached, or answers 4xx) is tried again later; `Undeliverable` (the server refuses the message
or the address for good, 5xx) is not, since asking again would get the same answer.

`send_many` hands a batch over one connection (a crisis broadcast mails thousands at once) and
answers for each message; only a server that cannot be reached at all fails the whole batch.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Sequence
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

    async def send_many(self, messages: Sequence[EmailMessage]) -> list[Exception | None]:
        """Per message, in order: None (accepted), or the `Undeliverable` or
        `TemporaryFailure` it met. Raises TemporaryFailure when none could be tried."""
        ...

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
        [failure] = await self.send_many([message])
        if failure is not None:
            raise failure

    async def send_many(self, messages: Sequence[EmailMessage]) -> list[Exception | None]:
        if not messages:
            return []
        outcomes: list[Exception | None] = []
        # Messages not begun by then wait for the next attempt: the job that sends the batch
        # must end within its lease, or a second worker would send it again.
        deadline = time.monotonic() + SMTP_TIMEOUT_SECONDS
        try:
            async with self._connection() as smtp:
                for message in messages:
                    if time.monotonic() > deadline:
                        break
                    outcomes.append(await self._hand_over(smtp, message))
        except (aiosmtplib.SMTPException, OSError) as exc:
            # Connecting, STARTTLS and signing in included: a wrong password or a server
            # refusing us is for the operator to fix, and the messages wait for it.
            if not outcomes:
                raise TemporaryFailure(f"{self.describe()}: {_reason(exc)}") from exc
            # The connection broke after some were accepted: those stay sent, the rest wait.
            log.warning("connection to %s lost after %d of %d messages: %s", self.describe(),
                        len(outcomes), len(messages), _reason(exc))
        untried = TemporaryFailure(f"{self.describe()}: not tried in this attempt")
        return outcomes + [untried] * (len(messages) - len(outcomes))

    def _connection(self) -> aiosmtplib.SMTP:
        return aiosmtplib.SMTP(
            hostname=self.host, port=self.port, username=self.username,
            password=self.password, use_tls=self.implicit_tls,
            # smtp://: STARTTLS whenever the server offers it (aiosmtplib then refuses to
            # go on without it when it fails).
            start_tls=None if not self.implicit_tls else False,
            timeout=SMTP_TIMEOUT_SECONDS)

    async def _hand_over(self, smtp: aiosmtplib.SMTP, message: EmailMessage) -> Exception | None:
        """None when the server took the message; its refusal otherwise. A broken connection
        (OSError: disconnected, timed out) is raised, and ends the batch."""
        try:
            await smtp.send_message(message)
        except OSError:
            raise
        except aiosmtplib.SMTPRecipientsRefused as exc:
            if all(refusal.code >= 500 for refusal in exc.recipients):
                return _caused(Undeliverable(str(exc)), exc)
            return _caused(TemporaryFailure(f"{self.describe()}: {exc}"), exc)
        except aiosmtplib.SMTPResponseException as exc:
            if exc.code >= 500:
                return _caused(Undeliverable(f"{exc.code} {exc.message}"), exc)
            return _caused(TemporaryFailure(f"{self.describe()}: {exc.code} {exc.message}"),
                           exc)
        except aiosmtplib.SMTPException as exc:
            return _caused(TemporaryFailure(f"{self.describe()}: {exc}"), exc)
        except ValueError as exc:
            # An address aiosmtplib will not put on the wire: this message only.
            return _caused(Undeliverable(str(exc)), exc)
        return None


def _caused(failure: Exception, cause: Exception) -> Exception:
    failure.__cause__ = cause
    return failure


def _reason(exc: Exception) -> str:
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return f"{exc.code} {exc.message}"
    return str(exc) or type(exc).__name__


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

    async def send_many(self, messages: Sequence[EmailMessage]) -> list[Exception | None]:
        try:
            for message in messages:
                await self.send(message)
        except OSError as exc:
            # A message written before is replaced by itself when the batch is written again.
            raise TemporaryFailure(f"{self.folder}: {exc}") from exc
        return [None] * len(messages)


def transport_for(settings: Settings) -> Transport:
    if settings.smtp_url:
        return SmtpTransport(settings.smtp_url)
    return FolderTransport(settings.mail_path)
