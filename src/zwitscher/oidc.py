"""The OpenID Connect client: what Zwitscher asks of the organisation's identity provider.

Authlib builds the authorization request (`state`, `nonce`, PKCE with S256) and checks the ID
token's claims (issuer, audience, expiry, nonce, `azp`); joserfc checks its signature against
the keys the provider publishes. Only asymmetric algorithms are accepted: never `none`, and no
HMAC keyed with a secret that others could also hold. A token signed by a key we have not
seen makes us fetch the provider's keys once more (providers rotate them), and no more often
than every few seconds, so forged tokens cannot make us hammer the provider.

The provider is the organisation's own, configured by the operator: unlike push endpoints,
it may well live on the internal network.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus, urlencode

import aiohttp
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import decode as decode_jwt

from zwitscher.settings import Settings

SIGNING_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384",
                      "ES512", "EdDSA"]
DISCOVERY_SECONDS = 3600
# At most one fetch of the provider's keys for an unknown key id in this interval.
KEY_REFETCH_SECONDS = 10
# Clocks of the provider and of this server may differ a little.
LEEWAY_SECONDS = 60
TIMEOUT = aiohttp.ClientTimeout(total=15)


class ProviderRefused(Exception):
    """The provider's answer cannot be accepted: the reason is for the log, not the person."""


class ProviderUnavailable(Exception):
    """The provider could not be reached or answered with nonsense."""


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the provider says signed in: the verified ID token's claims."""

    issuer: str
    subject: str
    claims: dict[str, Any]
    id_token: str

    @property
    def email(self) -> str | None:
        email = self.claims.get("email")
        return email.strip() if isinstance(email, str) and email.strip() else None

    def email_verified(self, *, trusted: bool) -> bool:
        # Some providers send "true" as a string.
        return trusted or self.claims.get("email_verified") in (True, "true")

    def names(self, claim: str) -> list[str]:
        """The values of a list claim (e.g. the person's groups), as strings."""
        value = self.claims.get(claim)
        if isinstance(value, str):
            value = [value]
        return [str(item) for item in value] if isinstance(value, list) else []


@dataclass
class _Cached:
    metadata: dict[str, Any] | None = None
    metadata_at: float = 0.0
    keys: KeySet | None = None
    # When the keys were last fetched for a token naming a key we did not know.
    refetched_at: float = -KEY_REFETCH_SECONDS
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class OpenIdClient:
    def __init__(self, settings: Settings) -> None:
        self.issuer = (settings.oidc_issuer or "").rstrip("/")
        self.client_id = settings.oidc_client_id
        self.client_secret = settings.oidc_client_secret
        self.scopes = settings.oidc_scopes
        self._cached = _Cached()

    async def authorization_url(self, *, redirect_uri: str, state: str, nonce: str,
                                code_verifier: str) -> str:
        metadata = await self._metadata()
        return prepare_grant_uri(
            metadata["authorization_endpoint"], self.client_id, "code",
            redirect_uri=redirect_uri, scope=self.scopes, state=state, nonce=nonce,
            code_challenge=create_s256_code_challenge(code_verifier),
            code_challenge_method="S256")

    async def identify(self, *, code: str, redirect_uri: str, code_verifier: str,
                       nonce: str) -> Identity:
        """Exchange the code for tokens and return the checked ID token's identity."""
        metadata = await self._metadata()
        tokens = await self._post(metadata["token_endpoint"], {
            "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "code_verifier": code_verifier})
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise ProviderRefused("the token response holds no ID token")
        claims = await self._verified_claims(id_token, nonce=nonce)
        return Identity(self.issuer, str(claims["sub"]), claims, id_token)

    async def logout_url(self, *, id_token: str, after: str) -> str | None:
        """Where the browser ends its session at the provider too (RP-initiated logout), or
        None when the provider offers no such page."""
        try:
            endpoint = (await self._metadata()).get("end_session_endpoint")
        except ProviderUnavailable:
            return None
        if not isinstance(endpoint, str):
            return None
        separator = "&" if "?" in endpoint else "?"
        return endpoint + separator + urlencode({
            "id_token_hint": id_token, "post_logout_redirect_uri": after,
            "client_id": self.client_id})

    async def _verified_claims(self, id_token: str, *, nonce: str) -> dict[str, Any]:
        try:
            header = jws.extract_compact(id_token.encode()).protected
        except (JoseError, ValueError) as exc:
            raise ProviderRefused(f"the ID token is malformed: {exc}") from exc
        if header.get("alg") not in SIGNING_ALGORITHMS:
            raise ProviderRefused(f"the ID token's algorithm {header.get('alg')!r} is refused")
        keys = await self._keys(wanted=header.get("kid"))
        try:
            token = decode_jwt(id_token, keys, algorithms=SIGNING_ALGORITHMS)
        except (JoseError, ValueError) as exc:
            raise ProviderRefused(f"the ID token's signature does not verify: {exc}") from exc
        claims = CodeIDToken(token.claims, token.header, options={
            "iss": {"essential": True, "value": self.issuer},
            "aud": {"essential": True, "value": self.client_id},
            "nonce": {"essential": True, "value": nonce},
            "sub": {"essential": True},
        }, params={"client_id": self.client_id, "nonce": nonce})
        try:
            claims.validate(now=int(time.time()), leeway=LEEWAY_SECONDS)
        except (JoseError, ValueError) as exc:
            raise ProviderRefused(f"the ID token's claims are refused: {exc}") from exc
        return dict(claims)

    async def _metadata(self) -> dict[str, Any]:
        cached = self._cached
        if cached.metadata and time.monotonic() - cached.metadata_at < DISCOVERY_SECONDS:
            return cached.metadata
        async with cached.lock:
            if cached.metadata and time.monotonic() - cached.metadata_at < DISCOVERY_SECONDS:
                return cached.metadata
            metadata = await self._get(f"{self.issuer}/.well-known/openid-configuration")
            needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
            if not all(isinstance(metadata.get(name), str) for name in needed):
                raise ProviderUnavailable("the discovery document lacks endpoints")
            if metadata["issuer"].rstrip("/") != self.issuer:
                raise ProviderUnavailable(
                    f"the provider calls itself {metadata['issuer']!r}, not {self.issuer!r}")
            cached.metadata, cached.metadata_at = metadata, time.monotonic()
            return metadata

    async def _keys(self, *, wanted: str | None) -> KeySet:
        cached = self._cached
        if cached.keys is not None:
            known = wanted is None or any(key.kid == wanted for key in cached.keys.keys)
            if known or time.monotonic() - cached.refetched_at < KEY_REFETCH_SECONDS:
                return cached.keys
            cached.refetched_at = time.monotonic()
        jwks_uri = (await self._metadata())["jwks_uri"]
        async with cached.lock:
            document = await self._get(jwks_uri)
            try:
                cached.keys = KeySet.import_key_set(document)
            except (JoseError, ValueError, TypeError, KeyError) as exc:
                raise ProviderUnavailable(f"the provider's keys cannot be read: {exc}") from exc
            return cached.keys

    async def _get(self, url: str) -> dict[str, Any]:
        return await self._request("GET", url)

    async def _post(self, url: str, form: dict[str, str]) -> dict[str, Any]:
        auth = aiohttp.BasicAuth(_form_encoded(self.client_id), _form_encoded(self.client_secret))
        return await self._request("POST", url, data=form, auth=auth)

    async def _request(self, method: str, url: str, **kwargs) -> dict[str, Any]:
        try:
            async with aiohttp.ClientSession(timeout=TIMEOUT) as session, session.request(
                    method, url, headers={"Accept": "application/json"}, **kwargs) as response:
                body = await response.json(content_type=None)
                status = response.status
        except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
            raise ProviderUnavailable(f"{method} {url}: {exc!r}") from exc
        if not isinstance(body, dict):
            raise ProviderUnavailable(f"{method} {url}: answered {status} without a JSON object")
        if status >= 400:
            raise ProviderRefused(f"{method} {url}: {status} {body.get('error')!r} "
                                  f"{body.get('error_description', '')!r}")
        return body


def _form_encoded(value: str) -> str:
    """Client credentials in HTTP Basic are form-encoded first (RFC 6749, 2.3.1)."""
    return quote_plus(value)


_clients: dict[tuple[str, str], OpenIdClient] = {}


def openid_client(settings: Settings) -> OpenIdClient:
    """The process's client for the configured provider (it caches discovery and keys)."""
    key = (settings.oidc_issuer or "", settings.oidc_client_id)
    if key not in _clients:
        _clients[key] = OpenIdClient(settings)
    return _clients[key]
