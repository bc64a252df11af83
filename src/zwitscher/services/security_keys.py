"""Security keys and passkeys (WebAuthn, with the `webauthn` library): a second factor after
the password, or a sign-in by themselves (a passkey: the device checks that it is its person,
by fingerprint, face or PIN). docs/identity.md.

Keys are added once two-factor authentication is on (as GitHub does): its recovery codes are
the way in when a key is lost, and turning it off removes the keys.

Every ceremony signs a fresh challenge, kept for five minutes for the browser that asked and
used once. The relying party is this instance's public address (`ZWITSCHER_BASE_URL`): its
host name is the RP ID and its origin the only one accepted, so a key registered here signs
nothing for a look-alike site. A signature counter that goes back means a cloned key: refused.
"""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlsplit

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.clock import utcnow
from zwitscher.domain.errors import NotFound, Unauthorized, ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.services.authenticate_user import password_is_theirs
from zwitscher.services.change_password import WrongCurrentPassword
from zwitscher.services.record_audit import record_audit
from zwitscher.services.secrets import digest
from zwitscher.settings import Settings

CHALLENGE_WAIT = timedelta(minutes=5)
MAX_KEYS = 20
# A browser's answer (a JSON credential) is small; anything longer is no answer.
MAX_ANSWER = 20_000


class KeyNotAccepted(Unauthorized):
    def __init__(self) -> None:
        super().__init__("The security key was not accepted: please try again")


def _relying_party(settings: Settings) -> tuple[str, str]:
    """(RP ID, origin) of this instance."""
    parts = urlsplit(settings.base_url)
    return parts.hostname or "localhost", f"{parts.scheme}://{parts.netloc}"


async def _remember(uow: UnitOfWork, browser_secret: str, challenge: bytes) -> None:
    await uow.security_keys.start_challenge(
        browser_hash=digest(browser_secret), challenge=bytes_to_base64url(challenge),
        expires_at=utcnow() + CHALLENGE_WAIT)


async def _challenge(uow: UnitOfWork, browser_secret: str) -> bytes:
    challenge = await uow.security_keys.take_challenge(digest(browser_secret))
    if challenge is None:
        raise KeyNotAccepted()
    return base64url_to_bytes(challenge)


async def registration_options(uow: UnitOfWork, *, user, username: str, display_name: str,
                               browser_secret: str) -> str:
    """What the browser's `navigator.credentials.create` needs (JSON) to make a new key."""
    rp_id, _ = _relying_party(uow.settings)
    existing = await uow.security_keys.of_user(user.id)
    options = generate_registration_options(
        rp_id=rp_id, rp_name=uow.settings.instance_title, user_name=username,
        user_id=str(user.id).encode(), user_display_name=display_name or username,
        exclude_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(key.credential_id))
                             for key in existing],
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED))
    await _remember(uow, browser_secret, options.challenge)
    return options_to_json(options)


async def add_security_key(uow: UnitOfWork, *, actor: Actor, user, browser_secret: str,
                           answer: str, name: str, password: str) -> None:
    if not await password_is_theirs(uow, user=user, password=password):
        raise WrongCurrentPassword()
    name = " ".join(name.split())[:100] or "Security key"
    if not user.totp_secret:
        raise ValidationFailed("Turn on two-factor authentication first: its recovery codes "
                               "are your way in if a key is lost")
    if len(await uow.security_keys.of_user(user.id)) >= MAX_KEYS:
        raise ValidationFailed("You have as many security keys as one may have: remove one first")
    challenge = await _challenge(uow, browser_secret)
    rp_id, origin = _relying_party(uow.settings)
    try:
        verified = verify_registration_response(
            credential=_parsed(answer), expected_challenge=challenge, expected_rp_id=rp_id,
            expected_origin=origin)
    except (InvalidRegistrationResponse, ValueError, KeyError, TypeError) as exc:
        raise KeyNotAccepted() from exc
    credential_id = bytes_to_base64url(verified.credential_id)
    if await uow.security_keys.by_credential_id(credential_id) is not None:
        raise ValidationFailed("This security key is added already")
    await uow.security_keys.add(user_id=user.id, credential_id=credential_id,
                                public_key=verified.credential_public_key,
                                sign_count=verified.sign_count, name=name)
    await record_audit(uow, actor=actor, action="account.security_key_added",
                       target_type="account", target_id=user.account_id, name=name)


async def remove_security_key(uow: UnitOfWork, *, actor: Actor, user, key_id: int,
                              password: str) -> None:
    if not await password_is_theirs(uow, user=user, password=password):
        raise WrongCurrentPassword()
    if not await uow.security_keys.remove(user.id, key_id):
        raise NotFound()
    await record_audit(uow, actor=actor, action="account.security_key_removed",
                       target_type="account", target_id=user.account_id)


async def sign_in_options(uow: UnitOfWork, *, browser_secret: str, user=None) -> str:
    """What `navigator.credentials.get` needs (JSON): for `user`'s keys after their password,
    or, without a user, for any passkey of this site (the device then checks its person)."""
    rp_id, _ = _relying_party(uow.settings)
    keys = await uow.security_keys.of_user(user.id) if user is not None else []
    options = generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(key.credential_id))
                           for key in keys],
        user_verification=(UserVerificationRequirement.PREFERRED if user is not None
                           else UserVerificationRequirement.REQUIRED))
    await _remember(uow, browser_secret, options.challenge)
    return options_to_json(options)


async def check_security_key(uow: UnitOfWork, *, browser_secret: str, answer: str, user=None):
    """The user whose key signed this browser's challenge (`user`'s own key, when given; else
    a passkey, with the device's check of its person); KeyNotAccepted otherwise."""
    challenge = await _challenge(uow, browser_secret)
    credential = _parsed(answer)
    key = await uow.security_keys.by_credential_id(str(credential.get("id", ""))[:1400])
    if key is None or (user is not None and key.user_id != user.id):
        raise KeyNotAccepted()
    rp_id, origin = _relying_party(uow.settings)
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id,
            expected_origin=origin, credential_public_key=key.public_key,
            credential_current_sign_count=key.sign_count,
            require_user_verification=user is None)
    except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError) as exc:
        raise KeyNotAccepted() from exc
    await uow.security_keys.used(key.id, verified.new_sign_count)
    return await uow.accounts.user_by_id(key.user_id)


def _parsed(answer: str) -> dict:
    if not answer or len(answer) > MAX_ANSWER:
        raise KeyNotAccepted()
    try:
        parsed = json.loads(answer)
    except ValueError as exc:
        raise KeyNotAccepted() from exc
    if not isinstance(parsed, dict):
        raise KeyNotAccepted()
    return parsed
