"""What a Web Push subscription is made of, checked before anything is stored.

The endpoint is a URL the server will POST to, so only web URLs on the public internet qualify:
`https://`, and `http://` or addresses of our own network only where the operator allows it
(development, tests). The keys are what the payload is encrypted to (RFC 8291): a P-256 public
key and a 16-byte auth secret, in base64 of either alphabet (Mastodon.py sends the standard
one, browsers the URL-safe one).
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.public_addresses import names_own_network

MAX_ENDPOINT = 2000
_BASE64 = re.compile(r"^[A-Za-z0-9+/_-]+={0,2}$")
_UNSAFE = re.compile(r"[\x00-\x20\x7f]")


def parse_endpoint(raw: str, *, allow_http: bool) -> str:
    if not raw or len(raw) > MAX_ENDPOINT or _UNSAFE.search(raw):
        raise ValidationFailed("Endpoint is not a valid URL")
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise ValidationFailed("Endpoint is not a valid URL") from exc
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme.lower() not in schemes:
        raise ValidationFailed("Endpoint must be an https:// URL")
    if not parts.hostname or parts.username is not None or port == 0:
        raise ValidationFailed("Endpoint is not a valid URL")
    if not allow_http and names_own_network(parts.hostname):
        raise ValidationFailed("Endpoint must be on the public internet")
    return raw


def _decode(raw: str) -> bytes | None:
    if not raw or len(raw) > 200 or not _BASE64.match(raw):
        return None
    text = raw.rstrip("=").replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def parse_p256dh(raw: str) -> str:
    """The key as base64url without padding; a point on P-256 or a 422."""
    data = _decode(raw)
    try:
        if data is None or len(data) != 65:
            raise ValueError
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), data)
    except ValueError as exc:
        raise ValidationFailed("subscription[keys][p256dh] must be an uncompressed P-256 "
                               "public key in base64") from exc
    return _encode(data)


def parse_auth(raw: str) -> str:
    data = _decode(raw)
    if data is None or len(data) != 16:
        raise ValidationFailed("subscription[keys][auth] must be 16 bytes in base64")
    return _encode(data)
