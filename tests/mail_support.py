"""A real SMTP server for the tests (aiosmtpd on a loopback port): what the server sends
arrives here, and tests read it as a person's mailbox."""

from __future__ import annotations

import asyncio
import email
import re
import threading
import time
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from support import free_port

LINK_RE = re.compile(r"https?://\S+")
CONFIRM_LINK = "/web/confirm?token="


class MailSink:
    def __init__(self, *, login: tuple[str, str] | None = None) -> None:
        """With `login`, the server asks for it (AUTH PLAIN/LOGIN; no TLS on loopback)."""
        self.port = free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.login = login
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.confirmations: list[tuple[list[str], EmailMessage]] = []
        # While set, every message is refused with this reply (e.g. "451 try later").
        self.refuse_with: str | None = None
        self.refused = 0
        # Each message refused that way, so a test counts only its own.
        self.refused_messages: list[tuple[list[str], EmailMessage]] = []
        # Seconds each message takes to be accepted (a slow server).
        self.delay = 0.0
        # Addresses refused at RCPT, each with its reply (e.g. "550 5.1.1 No such mailbox").
        self.refuse_recipients: dict[str, str] = {}
        # After this many more messages the server hangs up in the middle of the next one.
        self.hang_up_after: int | None = None
        # Each message's connection (the client's address and port), by Message-ID.
        self.connection_of: dict[str, tuple[str, int]] = {}
        self._lock = threading.Lock()
        auth = dict(authenticator=self._authenticate, auth_required=True,
                    auth_require_tls=False) if login else {}
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **auth)

    def _authenticate(self, _server, _session, _envelope, _mechanism, data) -> AuthResult:
        given = (data.login.decode(), data.password.decode())
        return AuthResult(success=given == self.login)

    async def handle_RCPT(self, _server, _session, envelope, address, rcpt_options) -> str:
        with self._lock:
            refusal = self.refuse_recipients.get(address.lower())
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            if self.hang_up_after is not None:
                if self.hang_up_after == 0:
                    self.hang_up_after = None
                    server.transport.close()
                    return "421 4.4.2 Connection dropped"
                self.hang_up_after -= 1
            if self.refuse_with is not None:
                self.refused += 1
                self.refused_messages.append((
                    [r.lower() for r in envelope.rcpt_tos],
                    email.message_from_bytes(envelope.content, policy=default)))
                return self.refuse_with
            message = email.message_from_bytes(envelope.content, policy=default)
            self.connection_of[message["Message-ID"].strip()] = session.peer
            # Each sign-up's link to confirm the address is kept apart: the people of the
            # tests' UserFactory are confirmed by an admin, and tests read the mail that
            # follows; tests of confirming read these (`confirmation_for`).
            kept = self.confirmations if CONFIRM_LINK in text_of(message) else self.messages
            kept.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def refusals_to(self, address: str) -> int:
        """How often a message to `address` other than a sign-up's confirmation was refused
        (each sign-up's confirmation is sent while a test may be refusing everything)."""
        with self._lock:
            return sum(address.lower() in rcpts and CONFIRM_LINK not in text_of(message)
                       for rcpts, message in self.refused_messages)

    def to(self, address: str) -> list[EmailMessage]:
        """What the mailbox of `address` holds, oldest first."""
        with self._lock:
            return [message for recipients, message in self.messages
                    if address.lower() in (r.lower() for r in recipients)]

    def wait_for(self, address: str, *, count: int = 1, timeout: float = 30) -> EmailMessage:
        """The `count`th message to `address`, once it has arrived."""
        return self._wait(self.to, address, count, timeout)

    def confirmations_to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [message for recipients, message in self.confirmations
                    if address.lower() in (r.lower() for r in recipients)]

    def confirmation_for(self, address: str, *, count: int = 1,
                         timeout: float = 30) -> EmailMessage:
        """The `count`th link to confirm `address`, once it has arrived."""
        return self._wait(self.confirmations_to, address, count, timeout)

    @staticmethod
    def _wait(read, address: str, count: int, timeout: float) -> EmailMessage:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(received := read(address)) >= count:
                return received[count - 1]
            time.sleep(0.05)
        raise AssertionError(f"no message #{count} to {address} within {timeout} s")


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()


def link_in(message: EmailMessage) -> str:
    return LINK_RE.search(text_of(message)).group(0)
