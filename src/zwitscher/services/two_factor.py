"""Two-factor authentication with a TOTP app (RFC 6238: 30-second steps, six digits) and ten
single-use recovery codes (docs/identity.md).

Turning it on proves the person holds both: their password, and an app that shows the right
code for the new secret. A code is accepted for the current step and one step either side
(phones' clocks drift), and only once: a code seen by someone looking over a shoulder, or
replayed from a recording, is refused, as is any code older than the last one accepted.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import pyotp
import segno

from zwitscher.db.uow import UnitOfWork
from zwitscher.domain.errors import ValidationFailed
from zwitscher.domain.roles import Actor
from zwitscher.policies.second_factor import needs_second_factor
from zwitscher.services.authenticate_user import password_is_theirs
from zwitscher.services.change_password import WrongCurrentPassword
from zwitscher.services.record_audit import record_audit
from zwitscher.services.secrets import digest

RECOVERY_CODES = 10
# Steps either side of now whose codes are accepted.
DRIFT_STEPS = 1
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class Proof(StrEnum):
    TOTP = "totp"
    RECOVERY = "recovery"


class WrongCode(ValidationFailed):
    def __init__(self) -> None:
        super().__init__("The code is wrong or was used already")


@dataclass(frozen=True, slots=True)
class Enrolment:
    """A new secret for the person's app, as text and as a QR code to scan."""

    secret: str
    uri: str
    qr_svg_data_uri: str


def new_enrolment(*, label: str, issuer: str, secret: str | None = None) -> Enrolment:
    secret = secret if secret and _is_secret(secret) else pyotp.random_base32()
    uri = pyotp.TOTP(secret).provisioning_uri(name=label, issuer_name=issuer)
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#000",
                                                light="#fff")
    return Enrolment(secret, uri, qr)


def _is_secret(text: str) -> bool:
    return 16 <= len(text) <= 64 and all(c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for c in text)


def _is_totp_code(code: str) -> bool:
    """Six ASCII digits (`isdigit` alone lets "²" through, which `compare_digest` refuses)."""
    return len(code) == 6 and code.isascii() and code.isdigit()


def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()[:40]


def new_recovery_codes() -> list[str]:
    """Sixteen characters (80 bits) each, shown in groups of four."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(16))
        codes.append("-".join(raw[i:i + 4] for i in range(0, 16, 4)))
    return codes


def _matching_step(secret: str, code: str) -> int | None:
    totp = pyotp.TOTP(secret)
    now = totp.timecode(datetime.now())
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


async def enable_two_factor(uow: UnitOfWork, *, actor: Actor, user, password: str,
                            secret: str, code: str) -> list[str]:
    """Turn TOTP on with the secret the person's app now holds; returns the recovery codes,
    which are shown once."""
    if uow.settings.passwords_allowed and not await password_is_theirs(
            uow, user=user, password=password):
        raise WrongCurrentPassword()
    code = _normalised(code)
    step = (_matching_step(secret, code) if _is_secret(secret) and _is_totp_code(code)
            else None)
    if step is None:
        raise WrongCode()
    await uow.second_factors.set_totp(user.id, secret)
    await uow.second_factors.accept_step(user.id, step)
    codes = await _replace_recovery_codes(uow, user.id)
    await record_audit(uow, actor=actor, action="account.two_factor_enabled",
                       target_type="account", target_id=user.account_id)
    return codes


async def disable_two_factor(uow: UnitOfWork, *, actor: Actor, user,
                             password: str | None) -> None:
    """The person turns it off (with their password), or an operator does for someone who
    lost both their phone and their recovery codes (`password` None)."""
    if password is not None and uow.settings.passwords_allowed and not await password_is_theirs(
            uow, user=user, password=password):
        raise WrongCurrentPassword()
    await uow.second_factors.set_totp(user.id, None)
    await uow.second_factors.replace_recovery_codes(user.id, [])
    # Security keys are a second factor beside the app's codes, never without them.
    await uow.security_keys.remove_all(user.id)
    await record_audit(uow, actor=actor, action="account.two_factor_disabled",
                       target_type="account", target_id=user.account_id)


async def renew_recovery_codes(uow: UnitOfWork, *, actor: Actor, user,
                               password: str) -> list[str]:
    if uow.settings.passwords_allowed and not await password_is_theirs(
            uow, user=user, password=password):
        raise WrongCurrentPassword()
    codes = await _replace_recovery_codes(uow, user.id)
    await record_audit(uow, actor=actor, action="account.recovery_codes_renewed",
                       target_type="account", target_id=user.account_id)
    return codes


async def _replace_recovery_codes(uow: UnitOfWork, user_id: int) -> list[str]:
    codes = new_recovery_codes()
    await uow.second_factors.replace_recovery_codes(
        user_id, [digest(_normalised(code)) for code in codes])
    return codes


async def check_second_factor(uow: UnitOfWork, *, user, code: str) -> Proof:
    """Which proof `code` is (an app's code, or a recovery code, now used up); WrongCode if
    neither, or if it was used before."""
    code = _normalised(code)
    if user.totp_secret and _is_totp_code(code):
        step = _matching_step(user.totp_secret, code)
        if step is not None and await uow.second_factors.accept_step(user.id, step):
            return Proof.TOTP
    elif len(code) == 16 and await uow.second_factors.take_recovery_code(user.id,
                                                                           digest(code)):
        return Proof.RECOVERY
    raise WrongCode()


def second_factor_required(settings, user) -> bool:
    """Whether the person must have a second factor (by their role, or an admin said so), and
    they have none yet."""
    return needs_second_factor(settings, user) and not user.totp_secret

