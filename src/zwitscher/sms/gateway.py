"""The client of the SMS gateway webhook: one signed POST carries up to `MAX_BATCH` messages.

Zwitscher speaks to no SMS provider itself. The organisation runs a small adapter (its
provider's API, a GSM modem, an alerting system) that takes the JSON below; the contract, for
whoever writes that adapter, is docs/crisis-sms-gateway.md:

    POST <ZWITSCHER_SMS_GATEWAY_URL>
    X-Zwitscher-Timestamp: <unix seconds>
    X-Zwitscher-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>
    {"messages": [{"id": "...", "to": "+4917612345678", "text": "..."}, ...]}

The answer sorts each message: a 2xx accepts every message but those it lists in
`{"refused": [{"id": ..., "error": ...}]}`; 408, 429, 5xx, a timeout or no connection mean
"not now" (`TemporaryFailure`: the job system sends the same batch, with the same ids, again);
any other 4xx refuses the whole batch for good. Ids are stable per message, so the adapter
drops a message it has seen before and a retry never texts anyone twice.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp

from zwitscher.domain.errors import TemporaryFailure
from zwitscher.settings import Settings

log = logging.getLogger(__name__)

MAX_BATCH = 100
# A crisis text with the recipient's own link; the adapter sends it as a concatenated SMS.
MAX_TEXT = 600
# What the contract promises adapters about ids and numbers (docs/crisis-sms-gateway.md).
_ID = re.compile(r"[A-Za-z0-9._-]{1,100}")
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
# Well inside a job's lease (60 s by default): a slow gateway never lets a second worker take
# the job and send the batch at the same time.
TIMEOUT_SECONDS = 15
# Statuses that say "try again later" (RFC 9110: 408 Request Timeout, RFC 6585: 429).
RETRY_LATER = frozenset({408, 429})
# A refusal's reason as we keep it: enough for a person to see what went wrong.
MAX_REASON = 200


@dataclass(frozen=True, slots=True)
class SmsMessage:
    id: str      # stable per message: a retry sends the same id, so the gateway drops repeats
    to: str      # E.164
    text: str


@dataclass(frozen=True, slots=True)
class SmsOutcome:
    accepted: frozenset[str]           # ids
    refused: Mapping[str, str]         # id -> reason (for good: bad number etc.)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The `X-Zwitscher-Signature` of a request: the timestamp is signed with the body, so a
    recorded request cannot be sent again later under a new time."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


class SmsGateway:
    def __init__(self, url: str, secret: str) -> None:
        self.url = url
        self._secret = secret

    def describe(self) -> str:
        """The gateway for logs: scheme, host and port only (a URL may carry a password or a
        token in its path or query)."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"

    async def send(self, messages: Sequence[SmsMessage]) -> SmsOutcome:
        """Hand `messages` (at most MAX_BATCH) to the gateway in one request. Raises
        TemporaryFailure when it cannot take them now; every message is then sent again."""
        _check(messages)
        if not messages:
            return SmsOutcome(accepted=frozenset(), refused={})
        body = json.dumps({"messages": [{"id": message.id, "to": message.to,
                                         "text": message.text} for message in messages]},
                          ensure_ascii=False).encode()
        timestamp = str(int(time.time()))
        headers = {"Content-Type": "application/json",
                   "X-Zwitscher-Timestamp": timestamp,
                   "X-Zwitscher-Signature": sign(self._secret, timestamp, body)}
        try:
            async with aiohttp.ClientSession(
                    timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)) as session, \
                    session.post(self.url, data=body, headers=headers,
                                 allow_redirects=False) as response:
                status = response.status
                answer = await response.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise TemporaryFailure(f"SMS gateway {self.describe()} unreachable: "
                                   f"{_why(exc)}") from exc
        ids = [message.id for message in messages]
        if 200 <= status < 300:
            return self._sorted(ids, answer)
        if 400 <= status < 500 and status not in RETRY_LATER:
            reason = f"the SMS gateway refused the request: {status} {_excerpt(answer)}"
            # Usually a setting (a wrong secret or URL) rather than the messages: worth a look.
            log.warning("SMS gateway %s refused %d messages: %s", self.describe(), len(ids),
                        reason)
            return SmsOutcome(accepted=frozenset(), refused=dict.fromkeys(ids, reason))
        # 408, 429, 5xx, and a redirect (the adapter moved: the operator corrects the URL, the
        # retry gets through).
        raise TemporaryFailure(f"SMS gateway {self.describe()} answered {status}")

    def _sorted(self, ids: list[str], answer: bytes) -> SmsOutcome:
        sent = set(ids)
        refused: dict[str, str] = {}
        for entry in self._refusals(answer):
            if isinstance(entry, dict) and isinstance(entry.get("id"), str) \
                    and entry["id"] in sent:
                refused[entry["id"]] = str(entry.get("error") or "refused")[:MAX_REASON]
        return SmsOutcome(accepted=frozenset(sent - refused.keys()), refused=refused)

    def _refusals(self, answer: bytes) -> list[object]:
        if not answer.strip():
            return []
        try:
            document = json.loads(answer)
        except ValueError:
            document = None
        refusals = document.get("refused", []) if isinstance(document, dict) else None
        if isinstance(refusals, list):
            return refusals
        # Accepted all the same: the gateway said 2xx, and sending again would text everyone
        # twice unless it keeps the ids.
        log.warning("SMS gateway %s accepted a batch with an answer that is not the documented "
                    "JSON; no refusals read from it", self.describe())
        return []


def _check(messages: Sequence[SmsMessage]) -> None:
    """A caller's mistake, refused before anything leaves: the adapter relies on these."""
    if len(messages) > MAX_BATCH:
        raise ValueError(f"at most {MAX_BATCH} text messages in one request")
    if len({message.id for message in messages}) != len(messages):
        raise ValueError("each text message in a request needs an id of its own")
    for message in messages:
        if not _ID.fullmatch(message.id):
            raise ValueError(f"not a text message id: {message.id!r}")
        if not _E164.fullmatch(message.to):
            raise ValueError(f"not a phone number in E.164 form: {message.to!r}")
        if len(message.text) > MAX_TEXT:
            raise ValueError(f"a text message has at most {MAX_TEXT} characters")


def _why(exc: Exception) -> str:
    # Not str(exc): some of aiohttp's errors (InvalidURL) quote the whole URL, password and all.
    if isinstance(exc, TimeoutError):
        return f"no answer within {TIMEOUT_SECONDS} s"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"cannot connect ({exc.os_error.strerror or type(exc.os_error).__name__})"
    return type(exc).__name__


def _excerpt(answer: bytes) -> str:
    return answer[:MAX_REASON].decode("utf-8", "replace").strip()


def create_sms_gateway(settings: Settings) -> SmsGateway | None:
    """The configured gateway, or None: then no one gets text messages (settings make sure a
    URL comes with its secret)."""
    if not settings.sms_gateway_url:
        return None
    return SmsGateway(settings.sms_gateway_url, settings.sms_gateway_secret)
